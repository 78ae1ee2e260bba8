/* What printlab's files share: the lab's state (printlab.c), the text files it writes
 * into its temporary directory (printlab_files.c), the fault controls (printlab_faults.c). */
#ifndef ADM_PRINTLAB_INTERNAL_H
#define ADM_PRINTLAB_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#define MAX_PRINTERS 8
/* Debian's cupsd programs (cups-config --serverbin) */
#define PRINTLAB_SERVERBIN "/usr/lib/cups"

struct lab_printer {
	char name[64];
	bool card;
	int port;
	pid_t pid;
	char fault_path[1024];
	char out_dir[1024];
};

struct printlab {
	char dir[256];
	char sock[300];
	char dbus_sock[300];
	char out_root[512];
	bool keep;
	bool keep_job_files; /* PreserveJobFiles Yes: tests only */
	char spool[300];
	int cups_port;
	pid_t dbus_pid, cupsd_pid;
	int watchdog_fd;
	pid_t watchdog_pid;
	struct lab_printer printers[MAX_PRINTERS];
	int n_printers;
};

/* The printer of that name (logged when there is none). */
struct lab_printer *printlab_find(struct printlab *lab, const char *name);
/* Writes text to path atomically (a temporary file, then rename) with that mode. */
int printlab_write_file(const char *path, const char *text, mode_t mode);

extern const char printlab_print_command[];
extern const char printlab_card_attributes[];
extern const char printlab_job_test[];

#endif
