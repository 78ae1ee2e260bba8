/*
 * The print command every virtual printer runs once per job, and the attributes of the
 * virtual card printer. Kept as text here so a lab needs nothing but its binary.
 *
 * The command reads the fault file the test writes (PRINTLAB_FAULT) and acts it out with
 * ippeveprinter's STATE: lines on stderr, then "prints" by copying the document, plus the
 * media-col it was asked for, into PRINTLAB_OUT. A held fault, once raised, leaves the time
 * it was raised (nanoseconds since the epoch) in PRINTLAB_OUT/fault-raised.time: a test
 * tells from it how soon the kiosk showed the fault. Copies are atomic (write, then rename) so
 * a test never reads half a document. It polls the fault file every 100 ms: this is the
 * test's device, not the kiosk.
 */
#include "printlab_internal.h"

const char printlab_print_command[] =
    "#!/bin/sh\n"
    "# printlab print command (generated): act out the fault, then keep the document.\n"
    "fault() { cat \"$PRINTLAB_FAULT\" 2>/dev/null; }\n"
    "hold() { # raise reasons, wait until the test changes the fault, lower them\n"
    "	f=$(fault)\n"
    "	for r in \"$@\"; do echo \"STATE: +$r\" >&2; done\n"
    "	date +%s%N > \"$PRINTLAB_OUT/fault-raised.time\"\n"
    "	while [ \"$(fault)\" = \"$f\" ]; do sleep 0.1; done\n"
    "	for r in \"$@\"; do echo \"STATE: -$r\" >&2; done\n"
    "}\n"
    "case \"$(fault)\" in\n"
    "jam) hold media-jam ;;\n"
    "media-empty) hold media-empty media-needed ;;\n"
    "cover-open) hold cover-open ;;\n"
    "toner-low) echo 'STATE: +toner-low' >&2 ;;\n"
    "abort) echo 'ERROR: printlab: job aborted by the printer' >&2; exit 1 ;;\n"
    "slow) f=slow; while [ \"$(fault)\" = slow ]; do sleep 0.1; done ;;\n"
    "esac\n"
    "# A job canceled meanwhile (Cancel-Job from cupsd) must not come out: ippeveprinter\n"
    "# leaves its print command running, a real printer would stop. Unless the test asked\n"
    "# for a printer whose engine goes on printing what it started (ignore-cancel).\n"
    "if [ ! -e \"${PRINTLAB_FAULT%/*}/ignore-cancel\" ] &&\n"
    "	ipptool -T 5 -d job_id=\"$IPP_JOB_ID\" -tv \"$IPP_JOB_PRINTER_URI\" \"$PRINTLAB_JOB_TEST\" "
    "2>&1 |\n"
    "	grep -q -e 'processing-to-stop-point' -e 'job-canceled' -e 'job-state (enum) = canceled'; "
    "then\n"
    "	echo 'INFO: printlab: job canceled, nothing printed' >&2; exit 0\n"
    "fi\n"
    "name=\"$(date +%s%N)-job$IPP_JOB_ID\"\n"
    "cp \"$1\" \"$PRINTLAB_OUT/.$name.tmp\" || exit 1\n"
    "printf '%s\\n' \"$IPP_MEDIA_COL\" > \"$PRINTLAB_OUT/$name.media\"\n"
    "mv \"$PRINTLAB_OUT/.$name.tmp\" \"$PRINTLAB_OUT/$name.pdf\"\n"
    "exit 0\n";

/* Get-Job-Attributes for the print command's cancel check (ipptool -d job_id=N). */
const char printlab_job_test[] = "{\n"
				 "OPERATION Get-Job-Attributes\n"
				 "GROUP operation-attributes-tag\n"
				 "ATTR charset attributes-charset utf-8\n"
				 "ATTR naturalLanguage attributes-natural-language en\n"
				 "ATTR uri printer-uri $uri\n"
				 "ATTR integer job-id $job_id\n"
				 "ATTR keyword requested-attributes job-state,job-state-reasons\n"
				 "STATUS successful-ok\n"
				 "}\n";

/* ID-1 card (54 x 86 mm, borderless) only, as a card printer offers. */
#define CARD_COL                                                                                   \
	"{MEMBER collection media-size {MEMBER integer x-dimension 5400 MEMBER integer "           \
	"y-dimension 8600} MEMBER integer media-bottom-margin 0 MEMBER integer "                   \
	"media-left-margin 0 MEMBER integer media-right-margin 0 MEMBER integer "                  \
	"media-top-margin 0}"

const char printlab_card_attributes[] =
    "ATTR mimeMediaType document-format-supported application/pdf\n"
    "ATTR keyword media-default om_card_54x86mm\n"
    "ATTR keyword media-supported om_card_54x86mm\n"
    "ATTR keyword media-ready om_card_54x86mm\n"
    "ATTR collection media-size-supported {MEMBER integer x-dimension 5400 MEMBER integer "
    "y-dimension 8600}\n"
    "ATTR integer media-bottom-margin-supported 0\n"
    "ATTR integer media-left-margin-supported 0\n"
    "ATTR integer media-right-margin-supported 0\n"
    "ATTR integer media-top-margin-supported 0\n"
    "ATTR collection media-col-database " CARD_COL "\n"
    "ATTR collection media-col-default " CARD_COL "\n"
    "ATTR collection media-col-ready " CARD_COL "\n";
