/*
 * Which USB devices matter to the kiosk, and what their coming and going means. Pure
 * functions (no libusb), so the mapping is unit-tested without hardware
 * (tests/usb/test_usb_classify.c); usb_hotplug.c feeds them libusb's events.
 */
#ifndef ADM_USB_CLASSIFY_H
#define ADM_USB_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

enum usb_role {
	USB_ROLE_OTHER = 0,	/* a keyboard, a hub, an attacker's stick: not the kiosk's */
	USB_ROLE_READER,	/* an NFC reader libnfc drives (ACR122U, PN533, SCL3711, ...) */
	USB_ROLE_SERIAL_BRIDGE, /* a USB-serial chip: a PN532 board or a scanner behind a tty */
	USB_ROLE_PRINTER,	/* interface class 7 */
	USB_ROLE_SCANNER,	/* a CDC ACM barcode scanner */
};

struct usb_ids {
	uint16_t vendor, product;
	uint8_t device_class;
	uint8_t interface_classes[8]; /* of the first configuration; 0 ends the list */
};

enum usb_role usb_classify(const struct usb_ids *ids);
const char *usb_role_name(enum usb_role role);

enum usb_change { USB_ARRIVED, USB_LEFT };

/* What the kiosk does about it. */
enum usb_action {
	USB_ACT_NONE = 0,
	USB_ACT_READER_GONE,  /* stop using the reader now; the driver reopens it later */
	USB_ACT_READER_BACK,  /* try the reader again at once, skipping its backoff */
	USB_ACT_PRINTER_GONE, /* ask CUPS for the printer's state now */
	USB_ACT_PRINTER_BACK,
	USB_ACT_SCANNER_GONE,
	USB_ACT_SCANNER_BACK,
};

enum usb_action usb_action_for(enum usb_role role, enum usb_change change);
const char *usb_action_name(enum usb_action a);

#endif
