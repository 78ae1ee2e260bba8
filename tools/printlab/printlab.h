/*
 * printlab: a private print system for tests, benchmarks and the demo. It runs, under a
 * temporary directory, a dbus-daemon (Debian's ippeveprinter needs a bus), a cupsd that
 * listens only on 127.0.0.1 and a unix socket, and ippeveprinter virtual printers whose
 * print command the test controls through a fault file and which copy every document they
 * "print" into an output folder. It never touches the system's CUPS: cupsd gets -c and -s
 * with every path (Printcap too) inside the temporary directory.
 *
 * Every process lives in a process group of its own, registered with a watchdog process
 * that outlives the caller: if the test crashes, times out or is killed, the watchdog kills
 * the groups and removes the temporary directory. printlab_stop() does it when all is well.
 * Not thread-safe: one thread drives a lab.
 */
#ifndef ADM_PRINTLAB_H
#define ADM_PRINTLAB_H

#include <stdbool.h>
#include <stddef.h>

struct printlab;

/* printlab_start's flags */
enum {
	/* leave the temporary directory after stop (for post-mortems) */
	PRINTLAB_KEEP = 1 << 0,
	/* test only: cupsd keeps every job's document file (PreserveJobFiles Yes), so a test
	 * can compare what the kiosk handed to CUPS, byte for byte, with what it meant to
	 * print (pdftopdf rewrites the PDF on its way to the printer). A kiosk's cupsd must
	 * never: those files are citizens' documents in plaintext (docs/printing.md). */
	PRINTLAB_KEEP_JOB_FILES = 1 << 1,
};
/*
 * Starts dbus-daemon and cupsd. out_dir: where printers put what they print (one folder
 * per printer inside); NULL puts it in the temporary directory. flags: PRINTLAB_*, or 0.
 * NULL on failure with a reason in err.
 */
struct printlab *printlab_start(const char *out_dir, unsigned flags, char *err, size_t err_len);
/* Kills every process, waits for them, removes the temporary directory. NULL-safe. */
void printlab_stop(struct printlab *lab);

/* The value for CUPS_SERVER (the private cupsd's socket). */
const char *printlab_server(const struct printlab *lab);
const char *printlab_dir(const struct printlab *lab);
int printlab_cups_port(const struct printlab *lab);

/*
 * Starts a virtual printer and adds a queue of the same name (lpadmin -m everywhere).
 * card: the printer offers only ID-1 cards (om_card_54x86mm), else A4 and letter.
 * Returns 0 or -1 (reason logged).
 */
int printlab_add_printer(struct printlab *lab, const char *name, bool card);

/*
 * The fault the print command acts out for the next job(s): "" (none), "jam",
 * "media-empty", "cover-open" (each held until the fault changes, then the job prints),
 * "toner-low" (raised, the job prints), "abort" (the job fails), "slow" (the job waits
 * until the fault changes). Atomic: the command never reads half a word.
 */
int printlab_set_fault(struct printlab *lab, const char *name, const char *fault);
/* A held fault, once the print command raised it, leaves the time it did (nanoseconds
 * since the epoch, as `date +%s%N`) in the printer's output folder, fault-raised.time. */
/*
 * A printer that accepts Cancel-Job but whose engine goes on: a job its print command has
 * started still comes out once its fault clears (a real printer's engine can do this; by
 * default the lab's print command checks for a cancel and prints nothing).
 */
int printlab_set_ignore_cancel(struct printlab *lab, const char *name, bool ignore);
/* The queue's ipp backend exits 1 (a backend failure) for every job while fail is set. */
int printlab_set_backend_fail(struct printlab *lab, const char *name, bool fail);
/* lpadmin -o printer-error-policy=POLICY (abort-job, retry-job, retry-current-job,
 * stop-printer). */
int printlab_set_error_policy(struct printlab *lab, const char *name, const char *policy);
/* SIGSTOP / SIGCONT to cupsd: a CUPS that takes connections and answers nothing. */
int printlab_cupsd_pause(struct printlab *lab, bool pause);
/* cupsd stopped (SIGTERM: it keeps its jobs, as at a shutdown; its socket refuses
 * connections) and started again with the same files. */
int printlab_cupsd_stop(struct printlab *lab);
int printlab_cupsd_start(struct printlab *lab);
/* cupsd's spool (RequestRoot): job N's document is dNNNNN-001 there, its control file
 * (attributes, the job's name) cNNNNN. */
const char *printlab_spool_dir(const struct printlab *lab);
/* How many job documents (d* files) are in cupsd's spool; the path of one if first. */
int printlab_spool_files(struct printlab *lab, char *first, size_t first_len);

/* Faults without a job, through ippeveprinter's web forms: paper level, toner level. */
int printlab_set_media_level(struct printlab *lab, const char *name, int level);
int printlab_set_supply_level(struct printlab *lab, const char *name, int percent);

/* SIGKILL to the printer and its print command (the port then refuses connections). */
int printlab_kill_printer(struct printlab *lab, const char *name);
/* Starts the printer again on the same port, with an empty job history. */
int printlab_restart_printer(struct printlab *lab, const char *name);
/* cupsenable / cupsdisable on the private cupsd. */
int printlab_queue_enable(struct printlab *lab, const char *name, bool enable);

/* The folder where a printer puts what it printed. */
const char *printlab_out_dir(struct printlab *lab, const char *name);
/* How many documents a printer printed; path of the i-th (oldest first) if path given. */
int printlab_printed(struct printlab *lab, const char *name, int index, char *path,
		     size_t path_len);
/* The media-col the printer received with the i-th printed document. */
int printlab_printed_media(struct printlab *lab, const char *name, int index, char *out,
			   size_t out_len);

/* Runs argv (argv[0] searched in PATH and the sbin folders) with CUPS_SERVER set to the
 * lab; returns its exit status, or -1. Used for lp/lpstat in benchmarks. */
int printlab_run(struct printlab *lab, char *const argv[]);

#endif
