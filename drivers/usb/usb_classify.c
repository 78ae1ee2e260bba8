#include "usb_classify.h"

#include <stdbool.h>
#include <stddef.h>

/* NFC readers supported by Debian's libnfc 1.8 USB drivers (pn53x_usb, acr122_usb). */
static const struct {
	uint16_t vendor, product;
} readers[] = {
	{ 0x04cc, 0x0531 }, /* Philips / NXP PN531 */
	{ 0x04cc, 0x2533 }, /* NXP PN533 */
	{ 0x054c, 0x0193 }, /* Sony PN531 */
	{ 0x04e6, 0x5591 }, /* SCM Micro SCL3711 */
	{ 0x04e6, 0x5594 }, /* SCM Micro SCL3712 */
	{ 0x054c, 0x02e1 }, /* Sony RC-S360 */
	{ 0x1fd3, 0x0608 }, /* ASK LoGO */
	{ 0x072f, 0x2200 }, /* ACS ACR122U */
	{ 0x072f, 0x90cc }, /* Touchatag (ACR122U) */
	{ 0x072f, 0x2214 }, /* ACS ACR1222 */
};

/* USB-serial bridges that PN532 boards and serial scanners sit behind. */
static const struct {
	uint16_t vendor, product;
} bridges[] = {
	{ 0x0403, 0x6001 }, /* FTDI FT232 */
	{ 0x0403, 0x6015 }, /* FTDI FT-X */
	{ 0x10c4, 0xea60 }, /* Silicon Labs CP210x */
	{ 0x1a86, 0x7523 }, /* QinHeng CH340 */
	{ 0x067b, 0x2303 }, /* Prolific PL2303 */
};

#define USB_CLASS_COMM	   0x02
#define USB_CLASS_PRINTER  0x07
#define USB_CLASS_CDC_DATA 0x0a

enum usb_role usb_classify(const struct usb_ids *ids)
{
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (readers[i].vendor == ids->vendor && readers[i].product == ids->product)
			return USB_ROLE_READER;
	for (size_t i = 0; i < sizeof(bridges) / sizeof(bridges[0]); i++)
		if (bridges[i].vendor == ids->vendor && bridges[i].product == ids->product)
			return USB_ROLE_SERIAL_BRIDGE;
	bool comm = ids->device_class == USB_CLASS_COMM, data = false;
	for (size_t i = 0; i < sizeof(ids->interface_classes) && ids->interface_classes[i]; i++) {
		if (ids->interface_classes[i] == USB_CLASS_PRINTER)
			return USB_ROLE_PRINTER;
		comm |= ids->interface_classes[i] == USB_CLASS_COMM;
		data |= ids->interface_classes[i] == USB_CLASS_CDC_DATA;
	}
	/* A CDC ACM device: on a kiosk, the barcode scanner in serial mode. */
	if (comm && (data || ids->device_class == USB_CLASS_COMM))
		return USB_ROLE_SCANNER;
	return USB_ROLE_OTHER;
}

enum usb_action usb_action_for(enum usb_role role, enum usb_change change)
{
	bool gone = change == USB_LEFT;
	switch (role) {
	case USB_ROLE_READER:
	case USB_ROLE_SERIAL_BRIDGE: /* most often the PN532 board */
		return gone ? USB_ACT_READER_GONE : USB_ACT_READER_BACK;
	case USB_ROLE_PRINTER:
		return gone ? USB_ACT_PRINTER_GONE : USB_ACT_PRINTER_BACK;
	case USB_ROLE_SCANNER:
		return gone ? USB_ACT_SCANNER_GONE : USB_ACT_SCANNER_BACK;
	case USB_ROLE_OTHER:
		break;
	}
	return USB_ACT_NONE;
}

const char *usb_role_name(enum usb_role role)
{
	static const char *const names[] = { "other", "nfc-reader", "usb-serial", "printer",
					     "scanner" };
	return (unsigned)role < sizeof(names) / sizeof(names[0]) ? names[role] : "?";
}

const char *usb_action_name(enum usb_action a)
{
	static const char *const names[] = { "none",	     "reader-gone",  "reader-back",
					     "printer-gone", "printer-back", "scanner-gone",
					     "scanner-back" };
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}
