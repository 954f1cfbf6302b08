/*
 * tests/linux/c/sigtake.h - take_signals, the signals an O_ASYNC, F_NOTIFY
 * or lease test waits for (sigio.c, sigiofiles.c, dnotify.c, leases.c),
 * taken with sigtimedwait from a blocked set so that the run is
 * deterministic, each printed as a line to compare with the host's.
 */
#ifndef TESTS_LINUX_SIGTAKE_H
#define TESTS_LINUX_SIGTAKE_H
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The signals of set that come, a line each: "WHAT: SIGIO (or SIGRTMIN+1)
 * code C band B fd ours|other" (band and fd for the POLL_ codes only,
 * "-" otherwise), or "WHAT: none".  The first must come within first_ns,
 * each next within 20 ms, at most max of them; with dedupe, a line like
 * the one before is not printed again. */
#define TAKE_ALL INT_MAX /* take_signals's max: no bound but the waits */

static void take_signals(const sigset_t *set, const char *what, int fd, long long first_ns, int max, bool dedupe)
{
    struct timespec t = {first_ns / 1000000000, first_ns % 1000000000};
    siginfo_t si;
    int n = 0;
    char line[160], last[160] = "";
    while (n < max) {
        int s = sigtimedwait(set, &si, &t);
        if (s < 0)
            break;
        bool poll_code = si.si_code > 0 && si.si_code < 0x80;
        snprintf(line, sizeof line, "%s: %s code %d band %#lx fd %s\n", what, s == SIGIO ? "SIGIO" : "SIGRTMIN+1",
                 si.si_code, poll_code ? si.si_band : 0, poll_code ? (si.si_fd == fd ? "ours" : "other") : "-");
        if (!dedupe || strcmp(line, last))
            fputs(line, stdout);
        strcpy(last, line);
        n++;
        t = (struct timespec){0, 20000000};
    }
    if (!n)
        printf("%s: none\n", what);
}

#endif
