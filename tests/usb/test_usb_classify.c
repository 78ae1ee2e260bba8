/* The USB event mapping: which devices are the kiosk's and what their coming and going
 * means, for every role, without hardware. */
#include "../check.h"
#include "usb_classify.h"

static struct usb_ids ids(uint16_t v, uint16_t p, uint8_t dev_class, uint8_t if0, uint8_t if1)
{
	struct usb_ids i = { v, p, dev_class, { if0, if1 } };
	return i;
}

int main(void)
{
	struct usb_ids acr122 = ids(0x072f, 0x2200, 0, 0x0b, 0);
	struct usb_ids pn533 = ids(0x04cc, 0x2533, 0, 0xff, 0);
	struct usb_ids ftdi = ids(0x0403, 0x6001, 0, 0xff, 0);
	struct usb_ids printer = ids(0x04b8, 0x1234, 0, 0x07, 0);
	struct usb_ids printer2 = ids(0x03f0, 0x4f11, 0, 0xff, 0x07); /* printer on interface 1 */
	struct usb_ids acm = ids(0x0c2e, 0x0b61, 0x02, 0x02, 0x0a);   /* a CDC ACM scanner */
	struct usb_ids acm_ifonly = ids(0x1eab, 0x1d06, 0xef, 0x02, 0x0a);
	struct usb_ids keyboard = ids(0x046d, 0xc31c, 0, 0x03, 0);
	struct usb_ids stick = ids(0x0781, 0x5567, 0, 0x08, 0);
	struct usb_ids hub = ids(0x1d6b, 0x0002, 0x09, 0x09, 0);

	CHECK(usb_classify(&acr122) == USB_ROLE_READER, "ACR122U is a reader");
	CHECK(usb_classify(&pn533) == USB_ROLE_READER, "PN533 is a reader");
	CHECK(usb_classify(&ftdi) == USB_ROLE_SERIAL_BRIDGE, "FTDI is a serial bridge");
	CHECK(usb_classify(&printer) == USB_ROLE_PRINTER, "class 7 is a printer");
	CHECK(usb_classify(&printer2) == USB_ROLE_PRINTER, "class 7 on a later interface");
	CHECK(usb_classify(&acm) == USB_ROLE_SCANNER, "CDC ACM is the scanner");
	CHECK(usb_classify(&acm_ifonly) == USB_ROLE_SCANNER, "CDC ACM by its interfaces");
	CHECK(usb_classify(&keyboard) == USB_ROLE_OTHER, "a keyboard is not ours");
	CHECK(usb_classify(&stick) == USB_ROLE_OTHER, "a USB stick is not ours");
	CHECK(usb_classify(&hub) == USB_ROLE_OTHER, "a hub is not ours");

	CHECK(usb_action_for(USB_ROLE_READER, USB_LEFT) == USB_ACT_READER_GONE, "reader gone");
	CHECK(usb_action_for(USB_ROLE_READER, USB_ARRIVED) == USB_ACT_READER_BACK, "reader back");
	CHECK(usb_action_for(USB_ROLE_SERIAL_BRIDGE, USB_LEFT) == USB_ACT_READER_GONE,
	      "a PN532 board's bridge gone");
	CHECK(usb_action_for(USB_ROLE_PRINTER, USB_LEFT) == USB_ACT_PRINTER_GONE, "printer gone");
	CHECK(usb_action_for(USB_ROLE_PRINTER, USB_ARRIVED) == USB_ACT_PRINTER_BACK,
	      "printer back");
	CHECK(usb_action_for(USB_ROLE_SCANNER, USB_LEFT) == USB_ACT_SCANNER_GONE, "scanner gone");
	CHECK(usb_action_for(USB_ROLE_SCANNER, USB_ARRIVED) == USB_ACT_SCANNER_BACK,
	      "scanner back");
	CHECK(usb_action_for(USB_ROLE_OTHER, USB_LEFT) == USB_ACT_NONE, "others change nothing");
	CHECK(usb_action_for(USB_ROLE_OTHER, USB_ARRIVED) == USB_ACT_NONE,
	      "a stick plugged in changes nothing");
	CHECK(usb_role_name(USB_ROLE_PRINTER)[0] == 'p' && usb_action_name(USB_ACT_NONE)[0] == 'n',
	      "names");
	return check_done();
}
