/*
 * tests/linux/c/faultinfo.c - the siginfo and sigcontext of CPU
 * exceptions, as Linux's traps fill them: a write to a read-only area
 * (SEGV_ACCERR), a read where nothing is mapped and of NULL (SEGV_MAPERR),
 * a non-canonical address, hlt and int $0x40 (general protection: SI_KERNEL,
 * no address), a page past a file's end (SIGBUS, BUS_ADRERR), ud2 (SIGILL,
 * ILL_ILLOPN at the instruction), int3 (SIGTRAP, SI_KERNEL), a division by
 * zero (FPE_INTDIV at the instruction); the sigcontext's trapno, error
 * code and cr2, which a later signal from kill still shows.  Addresses are
 * printed as offsets from the area (ud2's and the division's as
 * whether they name the instruction).  The output must equal the host's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf back;
static siginfo_t got;
static ucontext_t ctx;
static char *base;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    got = *si;
    ctx = *(ucontext_t *)uc;
    siglongjmp(back, 1);
}

static long off(uint64_t a) { return a ? (long)(a - (uint64_t)base) : -1; } /* -1: none */

enum { ERR = 1, CR2 = 2, NOADDR = 4 };

static void show(const char *what, int more)
{
    printf("%-14s signo %d code %d trapno %lld", what, got.si_signo, got.si_code,
           (long long)ctx.uc_mcontext.gregs[REG_TRAPNO]);
    if (!(more & NOADDR) && (uint64_t)got.si_addr == (uint64_t)ctx.uc_mcontext.gregs[REG_RIP])
        printf(" addr: the instruction");
    else if (!(more & NOADDR))
        printf(" addr %ld", off((uint64_t)got.si_addr));
    if (more & ERR)
        printf(" err %lld", (long long)ctx.uc_mcontext.gregs[REG_ERR]);
    if (more & CR2)
        printf(" cr2 %ld", off(ctx.uc_mcontext.gregs[REG_CR2]));
    printf("\n");
}

#define TRY(what, more, code)                                                                                          \
    do {                                                                                                               \
        if (!sigsetjmp(back, 1)) {                                                                                     \
            code;                                                                                                      \
        }                                                                                                              \
        show(what, more);                                                                                              \
    } while (0)

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGUSR1};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);

    char *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base = m;
    TRY("write ro", ERR | CR2, m[10] = 1);
    munmap(m + 4096, 4096);
    TRY("unmapped", ERR | CR2, (void)*(volatile char *)(m + 4100));
    base = NULL;
    TRY("NULL", ERR | CR2, (void)*(volatile char *)0);
    TRY("noncanonical", ERR, (void)*(volatile char *)0x8000000000000000ull);
    int fd = open("faultinfo-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 100);
    char *f = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    unlink("faultinfo-file");
    base = f;
    TRY("past the end", ERR | CR2, (void)*(volatile char *)(f + 5000));
    TRY("kill after", ERR | CR2 | NOADDR, raise(SIGUSR1)); /* the last fault's trapno, err and cr2 */
    TRY("ud2", 0, __asm__ volatile("ud2"));
    TRY("int3", 0, __asm__ volatile("int3"));
    volatile int zero = 0, quotient;
    TRY("divide", 0, quotient = 5 / zero);
    (void)quotient;
    TRY("hlt", ERR | CR2, __asm__ volatile("hlt")); /* cr2: still the last page fault's */
    TRY("int $0x40", 0, __asm__ volatile("int $0x40"));
    return 0;
}
