/*
 * tests/native/t-timer.c - timed wake-ups end when they are due, not at
 * the next 10 ms tick: sleep_ns and a notification's timer (timer_arm),
 * for times shorter than a tick and between ticks, never early; a timer
 * armed while the timer waits for a later one still comes on time (the
 * timer is set again for it); and a disarmed or replaced timer does not
 * fire.  Measured on the clock (clock_ns) under icount, where a late
 * wake-up is the kernel's own doing.
 */
#include "check.h"
#include <stdbool.h>

#define US 1000ull
#define MS 1000000ull

static int notif;

/* How late each of n waits of ns ends, the latest and whether any was early. */
static void measure(bool sleep, uint64_t ns, int n, uint64_t *latest, bool *early)
{
    *latest = 0, *early = false;
    for (int i = 0; i < n; i++) {
        uint64_t t0 = (uint64_t)sys_clock_ns();
        if (sleep) {
            sys_sleep_ns(ns);
        } else {
            sys_timer_arm(notif, ns, 1);
            sys_notif_wait(notif);
        }
        uint64_t took = (uint64_t)sys_clock_ns() - t0;
        *early |= took < ns;
        if (took > ns && took - ns > *latest)
            *latest = took - ns;
    }
}

static volatile uint64_t slept_late;

/* Sleeps 1 ms while the main thread waits on a timer of 8 ms. */
static void short_sleeper(uint64_t unused)
{
    (void)unused;
    uint64_t t0 = (uint64_t)sys_clock_ns();
    sys_sleep_ns(1 * MS);
    slept_late = (uint64_t)sys_clock_ns() - t0 - 1 * MS;
    sys_thread_exit();
}

int main(void)
{
    notif = (int)sys_notif_create();
    uint64_t late;
    bool early;
    static const uint64_t times[] = {1 * MS, 2500 * US, 13 * MS};
    for (int k = 0; k < 3; k++) {
        measure(true, times[k], 10, &late, &early);
        CHECK(!early && late < 100 * US, "sleep_ns(%lu us) ends when due: %s", (unsigned long)(times[k] / US),
              !early && late < 100 * US ? "yes" : "no");
        printf("  (at most %lu us late)\n", (unsigned long)(late / US));
        measure(false, times[k], 10, &late, &early);
        CHECK(!early && late < 100 * US, "a %lu us timer fires when due: %s", (unsigned long)(times[k] / US),
              !early && late < 100 * US ? "yes" : "no");
        printf("  (at most %lu us late)\n", (unsigned long)(late / US));
    }

    /* an earlier wake-up than the one the timer waits for */
    static char stack[16384] __attribute__((aligned(16)));
    sys_timer_arm(notif, 8 * MS, 1);
    uint64_t t0 = (uint64_t)sys_clock_ns();
    sys_thread_create(H_SELF, (uint64_t)short_sleeper, (uint64_t)stack + sizeof stack - 8, 0, 10, 0);
    sys_notif_wait(notif);
    uint64_t took = (uint64_t)sys_clock_ns() - t0;
    CHECK(slept_late < 100 * US, "a 1 ms sleep during an 8 ms timer ends when due: %s",
          slept_late < 100 * US ? "yes" : "no");
    CHECK(took >= 8 * MS && took < 8 * MS + 100 * US, "and the timer still fires at 8 ms: %s",
          took >= 8 * MS && took < 8 * MS + 100 * US ? "yes" : "no");

    /* disarmed, replaced */
    sys_timer_arm(notif, 2 * MS, 1);
    sys_timer_arm(notif, 0, 1);
    sys_timer_arm(notif, 3 * MS, 2); /* another timer, only for the wait to end */
    long bits = sys_notif_wait(notif);
    sys_timer_arm(notif, 1 * MS, 4);
    sys_timer_arm(notif, 5 * MS, 8);
    t0 = (uint64_t)sys_clock_ns();
    long bits2 = sys_notif_wait(notif);
    took = (uint64_t)sys_clock_ns() - t0;
    CHECK(bits == 2 && bits2 == 8 && took >= 5 * MS - 100 * US, "a disarmed or replaced timer does not fire: %s",
          bits == 2 && bits2 == 8 ? "yes" : "no");
    finish();
    return 0;
}
