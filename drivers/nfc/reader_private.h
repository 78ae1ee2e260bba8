/* For reader backends only: every handle embeds this as its first member. */
#ifndef ADM_READER_PRIVATE_H
#define ADM_READER_PRIVATE_H

#include "reader.h"

struct reader {
	const struct reader_backend *backend;
};

#endif
