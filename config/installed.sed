# config/kiosk.conf as installed on a kiosk (/etc/adm/kiosk.conf, issue 15): the same
# file, with the devices and files the package sets up (udev rules, tmpfiles.d, CUPS
# set-up) instead of the empty defaults.
s|^# Every key the kiosk knows is below, set to its default;|# Every key is below at its default, or at what the package set up (reader,\n# scanner, cache, A4 queue);|
/^\[nfc\]/,/^\[/ s|^device =$|device = pn532_uart:/dev/adm-reader|
/^\[scanner\]/,/^\[/ s|^device =$|device = /dev/adm-scanner|
/^\[cache\]/,/^\[/ s|^path =$|path = /var/lib/adm/cache.db|
/^\[printer\]/,/^\[/ s|^a4_queue =$|a4_queue = adm-a4|
