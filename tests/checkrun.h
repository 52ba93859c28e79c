/* checkrun.h — the end of every Check unit test's main(). */
#ifndef PG_CHECKRUN_H
#define PG_CHECKRUN_H

#include <check.h>

/* Runs every test case of s (CK_NORMAL output, the CK_* environment
 * honoured), frees it, and returns the exit status: EXIT_SUCCESS when
 * nothing failed. */
int pg_check_run(Suite *s);

#endif
