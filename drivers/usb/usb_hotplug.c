/*
 * DESIGN. One thread sleeps in libusb_handle_events() and libusb calls on_hotplug() from
 * it. usb_hotplug_stop() sets `stopping`, wakes the thread with
 * libusb_interrupt_event_handler() and joins it: no timer, no polling.
 */
#include "usb_hotplug.h"

#include "log.h"

#include <libusb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct usb_hotplug {
	struct usb_hotplug_config cfg;
	libusb_context *ctx;
	libusb_hotplug_callback_handle handle;
	pthread_t thread;
	atomic_bool stopping;
};

static void read_ids(libusb_device *dev, struct usb_ids *ids)
{
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *cd = NULL;

	memset(ids, 0, sizeof(*ids));
	if (libusb_get_device_descriptor(dev, &dd) == 0) {
		ids->vendor = dd.idVendor;
		ids->product = dd.idProduct;
		ids->device_class = dd.bDeviceClass;
	}
	/* Cached descriptors: no need to open the device (and no right to). */
	if (libusb_get_config_descriptor(dev, 0, &cd) == 0) {
		size_t n = 0;
		for (int i = 0; i < cd->bNumInterfaces && n < sizeof(ids->interface_classes); i++)
			if (cd->interface[i].num_altsetting > 0 &&
			    cd->interface[i].altsetting[0].bInterfaceClass)
				ids->interface_classes[n++] =
				    cd->interface[i].altsetting[0].bInterfaceClass;
		libusb_free_config_descriptor(cd);
	}
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
				  libusb_hotplug_event event, void *user)
{
	struct usb_hotplug *h = user;
	struct usb_ids ids;
	(void)ctx;

	read_ids(dev, &ids);
	enum usb_role role = usb_classify(&ids);
	enum usb_action act = usb_action_for(
	    role, event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? USB_ARRIVED : USB_LEFT);
	log_info("usb %04x:%04x (%s) %s", ids.vendor, ids.product, usb_role_name(role),
		 event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? "plugged in" : "unplugged");
	if (act != USB_ACT_NONE)
		h->cfg.on_change(h->cfg.ctx, act, &ids);
	return 0; /* stay registered */
}

static void *run(void *arg)
{
	struct usb_hotplug *h = arg;
	while (!atomic_load(&h->stopping))
		libusb_handle_events(h->ctx);
	return NULL;
}

struct usb_hotplug *usb_hotplug_start(const struct usb_hotplug_config *cfg)
{
	struct usb_hotplug *h = calloc(1, sizeof(*h));
	sigset_t all, old;

	if (!h)
		return NULL;
	h->cfg = *cfg;
	if (libusb_init(&h->ctx) != 0) {
		log_info("usb: libusb cannot start here: no hotplug notices");
		free(h);
		return NULL;
	}
	if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) ||
	    libusb_hotplug_register_callback(
		h->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
		LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
		on_hotplug, h, &h->handle) != LIBUSB_SUCCESS) {
		log_info("usb: no hotplug on this system: devices are noticed by their drivers");
		libusb_exit(h->ctx);
		free(h);
		return NULL;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&h->thread, NULL, run, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		libusb_hotplug_deregister_callback(h->ctx, h->handle);
		libusb_exit(h->ctx);
		free(h);
		return NULL;
	}
	pthread_setname_np(h->thread, "adm-usb");
	return h;
}

void usb_hotplug_stop(struct usb_hotplug *h)
{
	if (!h)
		return;
	atomic_store(&h->stopping, true);
	libusb_interrupt_event_handler(h->ctx);
	pthread_join(h->thread, NULL);
	libusb_hotplug_deregister_callback(h->ctx, h->handle);
	libusb_exit(h->ctx);
	free(h);
}
