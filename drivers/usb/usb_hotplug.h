/*
 * Notices USB devices coming and going (libusb hotplug), classifies them (usb_classify.h)
 * and reports what it means through a callback ON ITS OWN THREAD. Where the system offers
 * no hotplug (a container without netlink or udev) it says so in the log and does nothing:
 * the drivers still notice a lost device by themselves, only later.
 */
#ifndef ADM_USB_HOTPLUG_H
#define ADM_USB_HOTPLUG_H

#include "usb_classify.h"

struct usb_hotplug;

struct usb_hotplug_config {
	void (*on_change)(void *ctx, enum usb_action action, const struct usb_ids *ids);
	void *ctx;
};

/* NULL when hotplug is unavailable (logged) or without memory. */
struct usb_hotplug *usb_hotplug_start(const struct usb_hotplug_config *cfg);
void usb_hotplug_stop(struct usb_hotplug *h); /* NULL is fine; no callback after it */

#endif
