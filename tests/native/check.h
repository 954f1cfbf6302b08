/*
 * tests/native/check.h - checks for native test programs: each prints one
 * line, and finish() powers off with status 0 only if all passed.
 */
#ifndef TESTS_NATIVE_CHECK_H
#define TESTS_NATIVE_CHECK_H
#include <persona/ipc.h>
#include <stdio.h>

static int check_failures;

#define CHECK(cond, ...)                                                                                 \
    do {                                                                                                 \
        int ok_ = (cond);                                                                                \
        printf("%s: ", ok_ ? "ok" : "FAIL");                                                             \
        printf(__VA_ARGS__);                                                                             \
        printf("%s\n", ok_ ? "" : "  [" #cond "]");                                                     \
        check_failures += !ok_;                                                                          \
    } while (0)

static inline void finish(void)
{
    printf("%s\n", check_failures ? "RESULT: FAIL" : "RESULT: PASS");
    fflush(stdout);
    sys_machine_exit(persona_device(), check_failures ? 1 : 0);
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#endif
