/*
 * A minimal test helper: CHECK(cond) or CHECK(cond, fmt, ...) records a failure with
 * file:line and goes on; check_done() prints "N passed, N failed" and gives the exit
 * status.
 */
#ifndef ADM_CHECK_H
#define ADM_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

/* CHECK(cond) or CHECK(cond, fmt, ...) (up to 14 arguments after fmt). */
#define CHECK(...)                                                                                 \
	CHECK_PICK(__VA_ARGS__, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG,  \
		   CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG, CHECK_MSG,    \
		   CHECK_MSG, CHECK_MSG, CHECK_BARE, _)                                            \
	(__VA_ARGS__)
#define CHECK_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, name,    \
		   ...)                                                                            \
	name
#define CHECK_BARE(cond) CHECK_MSG(cond, "%s", "")
#define CHECK_MSG(cond, ...)                                                                       \
	do {                                                                                       \
		if (cond) {                                                                        \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);   \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
