/*
 * adm-syncd's HTTP client on libcurl: JSON requests with a body size limit, and blob
 * downloads streamed to a file with resume (HTTP Range), each with a minimum speed and a
 * deadline from its size. TLS verification is always on for https (CA file and/or pinned
 * public key); plain http is accepted only to loopback, by the parsed host (tests, or a
 * local TLS-terminating proxy). No parsing of answers here: see proto.h.
 *
 * Threads: a net_t is one curl handle for one thread.
 */
#ifndef ADM_SYNC_NET_H
#define ADM_SYNC_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cache.h"

struct net_options {
	const char *base_url;	/* https://host[:port] (no trailing slash) */
	const char *token;	/* per-kiosk bearer token */
	const char *ca_file;	/* CA bundle to verify the server with (NULL: system store) */
	const char *pinned_key; /* "sha256//BASE64" of the server's public key, or NULL */
	const char *client_cert, *client_key; /* optional TLS client certificate */
	long connect_timeout_s;
	long timeout_s;		  /* whole JSON request */
	volatile int *abort_flag; /* non-zero aborts a transfer in progress (SIGTERM) */
	/* Blobs: a transfer slower than blob_min_speed bytes/s over blob_stall_s seconds is
	 * given up, and so is one still running after its deadline, blob_stall_s + its size
	 * / blob_deadline_rate seconds (what arrived is kept and resumed: a deadline costs
	 * one more request, never the bytes). 0: 1024 B/s, 30 s, 32 KiB/s. */
	long blob_min_speed, blob_stall_s, blob_deadline_rate;
	/* called while a transfer runs (the systemd watchdog: a blob may take minutes, each
	 * bounded by its deadline), or NULL */
	void (*keepalive)(void);
};

typedef struct net net_t;

/* Below the cache's codes (cache.h: -1..CACHE_ERR_LAST), so that a step returning either
 * kind can say which it was: a blob's failed hash is not a disk fault. */
enum net_result {
	NET_OK = 0,
	NET_HTTP = -101,      /* an answer, but not 2xx: see *status */
	NET_TRANSPORT = -102, /* could not connect, TLS/pin failure, cut, no answer in time */
	NET_TOO_BIG = -103,   /* the body passed the limit */
	NET_IO = -104,	      /* local file error */
	NET_ABORTED = -105,   /* abort_flag was set */
	NET_RANGE = -106,     /* the server ignored or refused our Range: restart from 0 */
	NET_SLOW = -107,      /* the server answered, then sent too slowly or past the deadline */
};
_Static_assert(NET_SLOW < NET_HTTP && NET_HTTP < CACHE_ERR_LAST, "error codes overlap");
/* Words for a net_result; for any other code, cache_strerror's. */
const char *net_strerror(int err);

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
/* The seconds the last answer's Retry-After asked for, if it was a 429 or 503; else 0. */
long net_retry_after(net_t *n);
/* Whether base is an acceptable server URL: https://, or http:// to 127.0.0.1, localhost
 * or [::1] only, by the host curl would connect to (not a prefix of the string), and no
 * user name or password in it (the token is the credential). err says why not. */
bool net_url_ok(const char *base, char *err, size_t err_size);

#endif

/* POST of a body that is not JSON (a screenshot): data as it is, with its Content-Type;
 * the answer's body is dropped. NET_OK, or NET_HTTP with *status for a non-2xx answer. */
int net_post(net_t *n, const char *path, const char *type, const void *data, size_t len,
	     long *status);
