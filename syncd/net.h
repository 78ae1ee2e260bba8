/*
 * adm-syncd's HTTP client on libcurl: JSON requests with a body size limit, and blob
 * downloads streamed to a file with resume (HTTP Range). TLS verification is always on
 * for https (CA file and/or pinned public key); plain http is accepted only to loopback
 * (tests, or a local TLS-terminating proxy). No parsing here: see proto.h.
 *
 * Threads: a net_t is one curl handle for one thread.
 */
#ifndef ADM_SYNC_NET_H
#define ADM_SYNC_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct net_options {
	const char *base_url;	/* https://host[:port] (no trailing slash) */
	const char *token;	/* per-kiosk bearer token */
	const char *ca_file;	/* CA bundle to verify the server with (NULL: system store) */
	const char *pinned_key; /* "sha256//BASE64" of the server's public key, or NULL */
	const char *client_cert, *client_key; /* optional TLS client certificate */
	long connect_timeout_s;
	long timeout_s;		  /* whole JSON request; for blobs: no progress for this long */
	volatile int *abort_flag; /* non-zero aborts a transfer in progress (SIGTERM) */
};

typedef struct net net_t;

enum net_result {
	NET_OK = 0,
	NET_HTTP = -1,	    /* an answer, but not 2xx: see *status */
	NET_TRANSPORT = -2, /* could not connect, TLS/pin failure, timeout, cut */
	NET_TOO_BIG = -3,   /* the body passed the limit */
	NET_IO = -4,	    /* local file error */
	NET_ABORTED = -5,   /* abort_flag was set */
	NET_RANGE = -6,	    /* the server ignored or refused our Range: restart from 0 */
};

net_t *net_create(const struct net_options *o, char *err, size_t err_size);
void net_destroy(net_t *n);
/* GET or (json != NULL) POST; the body (NUL-terminated, malloc'ed) is returned for any
 * status so that error bodies can be logged. */
int net_request(net_t *n, const char *path, const char *json, size_t max, char **body, size_t *len,
		long *status);
/* Appends bytes from offset to the file (opened "ab"), at most max_total in all. */
int net_download(net_t *n, const char *path, FILE *f, uint64_t offset, uint64_t max_total,
		 long *status);
/*
 * Several GETs in flight from one thread, on libcurl's multi interface: while the caller
 * stores one blob, the next ones arrive in the socket buffers, and a server that answers
 * each connection on its own thread (as adm-central does) works on them meanwhile. Each
 * transfer runs on one of the nets lent at creation (its options, its connection); the
 * nets stay the caller's, usable directly whenever nothing is in flight.
 */
typedef struct net_multi net_multi_t;
net_multi_t *net_multi_create(net_t *const *nets, int n);
/* Cancels what is still in flight. */
void net_multi_destroy(net_multi_t *m);
/* Starts a GET of at most max bytes on a free net; false when all are busy (or curl
 * refused). tag comes back with the result. */
bool net_multi_start(net_multi_t *m, const char *path, size_t max, void *tag);
int net_multi_active(const net_multi_t *m);
/* Waits for the next transfer to end (some must be in flight): its result, its tag, the
 * net it ran on (for net_error) and its body (malloc'ed, or NULL). Unlike net_request,
 * whatever arrived is returned also when the transfer broke (NET_TRANSPORT), so that the
 * caller can keep it and resume. */
int net_multi_next(net_multi_t *m, void **tag, net_t **net, char **body, size_t *len, long *status);

/* What went wrong in the last call, for logs (never contains the token). */
const char *net_error(net_t *n);

#endif
