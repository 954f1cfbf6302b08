/*
 * tests/linux/c/futexkey.c - futex's address checks, as Linux's
 * get_futex_key: an unaligned word is EINVAL for every operation; a
 * shared futex (no FUTEX_PRIVATE_FLAG) must have its page there, so an
 * unmapped or PROT_NONE address is EFAULT even for FUTEX_WAKE and for
 * FUTEX_CMP_REQUEUE's second address, and so is a read-only anonymous
 * page; a private futex's FUTEX_WAKE and requeue target are not looked
 * at.  Operations that write the word (FUTEX_WAKE_OP's second address,
 * the PI locks) fault on a read-only page either way; FUTEX_UNLOCK_PI
 * reads the owner first (EPERM).  A timeout already past is ETIMEDOUT
 * only once the word matches (EAGAIN before it).  The same calls on the
 * host and here, in both kinds.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

enum { WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, LOCK_PI = 6, UNLOCK_PI = 7, TRYLOCK_PI = 8,
       WAIT_BITSET = 9, WAKE_BITSET = 10, PRIVATE = 128 };

#define F(a, op, v, t, a2, v3) syscall(SYS_futex, a, (op) | pf, v, t, a2, v3)

static uint32_t word, word2;

int main(void)
{
    long pg = 4096;
    char *unmapped = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, pg);
    char *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro_written = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro_written[0] = 1;
    mprotect(ro_written, pg, PROT_READ);
    char *odd = (char *)&word + 1;
    struct timespec ms = {0, 1000000}, past = {1, 0};
    for (int pf = 0; pf <= PRIVATE; pf += PRIVATE) {
        printf("-- %s\n", pf ? "private" : "shared");
        CHECK(F(unmapped, WAKE, 1, 0, 0, 0));
        CHECK(F(none, WAKE, 1, 0, 0, 0));
        CHECK(F(ro, WAKE, 1, 0, 0, 0));
        CHECK(F(ro_written, WAKE, 1, 0, 0, 0));
        CHECK(F(odd, WAKE, 1, 0, 0, 0));
        CHECK(F(odd, WAKE_BITSET, 1, 0, 0, 0));
        CHECK(F(&word, WAKE_BITSET, 1, 0, 0, 0));
        CHECK(F(unmapped, WAIT, 0, 0, 0, 0));
        CHECK(F(none, WAIT, 0, 0, 0, 0));
        CHECK(F(ro, WAIT, 1, &ms, 0, 0));
        CHECK(F(ro_written, WAIT, 1, &ms, 0, 0));
        CHECK(F(odd, WAIT, 0, &ms, 0, 0));
        CHECK(F(&word, WAIT, 0, unmapped, 0, 0));
        CHECK(F(&word, WAIT, 0, &past, 0, 0));
        CHECK(F(&word, WAIT, 1, &past, 0, 0));
        CHECK(F(&word, WAIT_BITSET, 0, &past, 0, -1));
        CHECK(F(&word, WAIT_BITSET, 1, &past, 0, -1));
        CHECK(F(unmapped, CMP_REQUEUE, 1, 1, &word, 0));
        CHECK(F(&word, CMP_REQUEUE, 1, 1, unmapped, 0));
        CHECK(F(none, CMP_REQUEUE, 1, 1, &word, 0));
        CHECK(F(&word, CMP_REQUEUE, 1, 1, none, 0));
        CHECK(F(&word, CMP_REQUEUE, 1, 1, odd, 0));
        CHECK(F(&word, CMP_REQUEUE, 1, 1, &word2, 1));
        CHECK(F(&word, REQUEUE, 1, 1, unmapped, 0));
        CHECK(F(&word, WAKE_OP, 1, 1, unmapped, 0));
        CHECK(F(&word, WAKE_OP, 1, 1, ro, 0));
        CHECK(F(&word, WAKE_OP, 1, 1, odd, 0));
        CHECK(F(odd, WAKE_OP, 1, 1, &word2, 0));
        CHECK(F(&word, WAKE_OP, 1, 1, &word2, 7 << 28));
        CHECK(F(&word, WAKE_OP, 1, 1, ro, 7 << 28));
        CHECK(F(ro, LOCK_PI, 0, 0, 0, 0));
        CHECK(F(ro, TRYLOCK_PI, 0, 0, 0, 0));
        CHECK(F(ro, UNLOCK_PI, 0, 0, 0, 0));
        CHECK(F(ro_written, LOCK_PI, 0, 0, 0, 0));
        CHECK(F(odd, LOCK_PI, 0, 0, 0, 0));
        CHECK(F(odd, UNLOCK_PI, 0, 0, 0, 0));
        CHECK(F(unmapped, UNLOCK_PI, 0, 0, 0, 0));
    }
    return 0;
}
