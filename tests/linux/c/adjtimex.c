/* adjtimex and clock_adjtime as Linux's: a read of the NTP state, the
 * errors, and what needs CAP_SYS_TIME (asked as another user, since the
 * host's root may not have it: setting the clock is checked too). */
#define _GNU_SOURCE
#include "check.h"
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timex t;
    memset(&t, 0, sizeof t);
    int r = adjtimex(&t);
    printf("a read: a state %d, tick %ld, precision %ld, tolerance %ld\n", r == TIME_OK || r == TIME_ERROR, t.tick,
           t.precision, t.tolerance);
    CHECK(syscall(SYS_adjtimex, (void *)8));
    memset(&t, 0, sizeof t);
    CHECK(syscall(SYS_clock_adjtime, CLOCK_REALTIME, &t) >= 0);
    CHECK(syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &t));
    CHECK(syscall(SYS_clock_adjtime, 99, &t));
    CHECK(syscall(SYS_clock_adjtime, 99, (void *)8)); /* the timex is read first */
    CHECK(syscall(SYS_clock_adjtime, -1, &t));        /* CPU clocks' ids: none adjusts */
    CHECK(syscall(SYS_clock_adjtime, -6, &t));
    CHECK(syscall(SYS_clock_adjtime, -5, &t)); /* a CLOCKFD id of no clock device */
    t.modes = 0x8000; /* ADJ_ADJTIME without ADJ_OFFSET_SINGLESHOT */
    CHECK(syscall(SYS_adjtimex, &t));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setresuid(1000, 1000, 1000));
        memset(&t, 0, sizeof t);
        t.modes = ADJ_STATUS;
        CHECK(adjtimex(&t));
        t.modes = ADJ_OFFSET_SS_READ; /* reading adjtime's offset is anyone's */
        CHECK(adjtimex(&t) >= 0);
        t.modes = ADJ_TICK, t.tick = 20000;
        CHECK(adjtimex(&t));
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        CHECK(clock_settime(CLOCK_REALTIME, &ts));
        struct timeval tv = {ts.tv_sec, 0};
        CHECK(settimeofday(&tv, NULL));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
