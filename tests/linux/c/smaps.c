/*
 * tests/linux/c/smaps.c - /proc/self/smaps for areas of the program's own:
 * each area's maps line followed by its fields in Linux's order and
 * format; for a private anonymous area, its Size, the Rss its touched
 * pages make (as an mlock brings them all in: mlock05's check), Locked
 * while locked, and Anonymous; a shared mapping's Rss and VmFlags' sh;
 * the stack's gd.  Only some fields of these areas are printed.
 * One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define P 4096L

/* smaps whole: Linux's seq_file gives a page or so a read */
static long read_all(char *buf, size_t size)
{
    int fd = open("/proc/self/smaps", O_RDONLY);
    long n = 0, r = fd < 0 ? -1 : 1;
    while (r > 0 && (size_t)n < size - 1)
        if ((r = read(fd, buf + n, size - 1 - n)) > 0)
            n += r;
    if (fd >= 0)
        close(fd);
    buf[n] = '\0';
    return fd < 0 || r < 0 ? -1 : n;
}

/* Some fields of the area at a, one line each, and some of its VmFlags
 * (the fields' list grew after Linux 6.1: KSM, say). */
static void show(const char *what, void *a)
{
    static char buf[1 << 20];
    long n = read_all(buf, sizeof buf);
    if (n < 0) {
        printf("%s: smaps %s\n", what, errno_name(errno));
        return;
    }
    char head[32];
    snprintf(head, sizeof head, "%lx-", (unsigned long)a);
    char *at = strstr(buf, head);
    if (!at) {
        printf("%s: no area\n", what);
        return;
    }
    at = strchr(at, '\n') + 1;
    for (char *e; *at && (e = strchr(at, '\n')); at = e + 1) {
        *e = '\0';
        char *colon = strchr(at, ':'), *dash = strchr(at, '-');
        if (!colon || (dash && dash < colon)) /* the next area's line */
            break;
        if (!strncmp(at, "Size:", 5) || !strncmp(at, "Rss:", 4) || !strncmp(at, "Locked:", 7) ||
            !strncmp(at, "Anonymous:", 10) || !strncmp(at, "KernelPageSize:", 15) || !strncmp(at, "Swap:", 5))
            printf("%s: %s\n", what, at);
        if (!strncmp(at, "VmFlags:", 8)) {
            static const char *const flags[] = {"rd", "wr", "ex", "sh", "gd", "lo"};
            printf("%s: VmFlags has", what);
            for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
                char f[8];
                snprintf(f, sizeof f, " %s", flags[i]);
                if (strstr(at + 8, f))
                    printf("%s", f);
            }
            printf("\n");
        }
    }
}

int main(void)
{
    char *a = mmap(NULL, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("fresh", a);
    memset(a, 1, 3 * P);
    show("three pages touched", a);
    CHECK(mlock(a, 16 * P));
    show("locked", a);
    CHECK(munlock(a, 16 * P));
    show("unlocked", a);
    char *s = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 1;
    show("shared, one page touched", s);
    char *x = mmap(NULL, P, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("read and exec", x);
    static char buf[1 << 20];
    char *st = read_all(buf, sizeof buf) > 0 ? strstr(buf, "[stack]") : NULL, *flags = st ? strstr(st, "VmFlags:") : NULL;
    char *end = flags ? strchr(flags, '\n') : NULL;
    if (end)
        *end = '\0';
    printf("stack: VmFlags has gd %d\n", flags && strstr(flags, " gd") != NULL);
    return 0;
}
