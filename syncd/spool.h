/*
 * adm-syncd's spool of partial blob downloads (<spool>/<sha256>.part): what a broken or
 * too slow transfer got so far, which the next attempt resumes with a Range request.
 * Those bytes are a document's content in clear (the cache holds blobs only encrypted),
 * so a part file is its owner's alone (0600, also one an older version left with other
 * bits) and is overwritten before it goes: once its blob is stored, when it failed its
 * hash, when a server ignored the range, when no document waits for it any more.
 *
 * Overwriting in place is all a program can do: a file system that copies on write, or a
 * flash disk's wear levelling, may keep the old blocks until they are reused (see
 * docs/sync-protocol.md, section 2).
 *
 * Threads: none of its own; each engine uses its own spool folder.
 */
#ifndef ADM_SYNC_SPOOL_H
#define ADM_SYNC_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Opens (creating) a part file for reading and appending, mode 0600. NULL: errno. */
FILE *spool_open(const char *path);
/* Where a download of size bytes resumes with part file f: its length, or 0 after
 * emptying a file longer than size (it cannot be a prefix); -1 if that failed. */
long spool_resume_at(FILE *f, unsigned long long size);
/* Overwrites every byte of the file with zeros, syncs it and truncates it to 0. */
bool spool_wipe(FILE *f);
/* Overwrites (keeping the length) and unlinks the file at path (f: already open on it,
 * or NULL). */
void spool_remove(const char *path, FILE *f);
/* Writes a fresh part file (0600) with the bytes a broken in-memory transfer got. */
bool spool_keep(const char *path, const void *data, size_t len);
/* Removes (wiping) the part files in dir whose blob wanted() says no document waits for;
 * other files are left alone. Returns how many went. */
int spool_sweep(const char *dir, bool (*wanted)(const char *hex, void *user), void *user);

#endif
