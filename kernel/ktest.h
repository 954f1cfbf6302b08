/*
 * kernel/ktest.h - in-kernel tests, selected by "ktest=NAME" on the kernel
 * command line.  The tests themselves live in tests/kernel/.
 * Book: docs/testing.md.
 */
#ifndef PERSONA_KTEST_H
#define PERSONA_KTEST_H

/* Runs the named test; returns 0 on success, 1 on failure. */
int ktest_run(const char *name);

#endif
