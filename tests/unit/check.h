/*
 * tests/unit/check.h - the smallest test framework: CHECK counts passes
 * and failures and prints each failure with its place; check_summary()
 * prints "NAME: N passed, N failed" for tests/unit/Makefile to add up.
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H
#include <stdio.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                      \
    do {                                                                                                 \
        if (cond) {                                                                                      \
            unit_passed++;                                                                               \
        } else {                                                                                         \
            unit_failed++;                                                                               \
            printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                     \
        }                                                                                                \
    } while (0)

static inline int check_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
    return unit_failed != 0;
}

#endif
