/* Text files printlab writes into its temporary directory (printlab_files.c). */
#ifndef ADM_PRINTLAB_INTERNAL_H
#define ADM_PRINTLAB_INTERNAL_H

extern const char printlab_print_command[];
extern const char printlab_card_attributes[];
extern const char printlab_job_test[];

#endif
