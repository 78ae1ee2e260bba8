/*
 * Start, drive and stop an adm-vpn532 from another program (tests, benchmarks): a fresh
 * temporary directory holds the card file (written by adm-synth), the pty link and the
 * control socket. The caller owns the struct and must call vpn532_stop, also on failure.
 */
#ifndef VPN532_LAUNCH_H
#define VPN532_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sim {
	pid_t pid;
	char dir[64];
	char link[96], ctl[100], cards[96], connstring[128];
};

struct citizen_line {
	char type; /* 'A' or 'B' */
	char uid[15], nik[17], name[65], birth_date[11], sex;
};

/* Writes a card file with adm-synth (count citizens, seed 7) and starts adm-vpn532 with
 * extra_args (NULL-terminated, may be NULL); waits for its "ready" line (5 s). */
bool sim_start(struct sim *s, const char *vpn532, const char *synth, int count,
	       const char *const *extra_args);
/* Sends one command; returns true on an "ok" answer, with the answer in reply. */
bool sim_ctl(struct sim *s, char *reply, size_t cap, const char *cmd);
/* SIGTERM, then SIGKILL after 2 s; removes the directory. Harmless if not running. */
void sim_stop(struct sim *s);
/* Reads the n-th citizen of the card file with the given type ('A', 'B', 0 = any). */
bool sim_citizen(const struct sim *s, char type, int n, struct citizen_line *out);

#endif
