/*
 * tests/linux/c/shmemcount.c - /proc/meminfo's Shmem counts the pages of
 * tmpfs files, of shared anonymous memory and of memfds, as Linux's:
 * each grows it by its size once its pages are written and gives it back
 * as it goes; Cached holds them too, and vmstat's nr_shmem says the same
 * in pages.  Changes are shown to the nearest 8 MiB (the host's other
 * programs move the counts too); the tmpfs is the test's own, in a mount
 * namespace of its own.
 */
#define _GNU_SOURCE
#include "meminfo.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define MiB (1l << 20)

static long vmstat(const char *field)
{
    char buf[16384], *at;
    if (read_text("/proc/vmstat", buf, sizeof buf) < 0 || !(at = strstr(buf, field)))
        return -1;
    return atol(at + strlen(field) + 1);
}

static long base;
static void moved(const char *what)
{
    long d = meminfo_kb("Shmem") - base;
    printf("%s: Shmem moved by %ld MiB\n", what, (d + (d < 0 ? -4096 : 4096)) / 8192 * 8);
}

static void fill(int fd, long len)
{
    static char page[65536];
    memset(page, 7, sizeof page);
    for (long done = 0; done < len; done += sizeof page)
        if (write(fd, page, sizeof page) != sizeof page)
            printf("write: %s\n", strerror(errno));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        printf("no mount namespace: %s\n", strerror(errno));
        return 1;
    }
    mkdir("/tmp/shmemcount", 0755);
    CHECK(mount("tmpfs", "/tmp/shmemcount", "tmpfs", 0, NULL));
    base = meminfo_kb("Shmem");
    printf("Cached holds Shmem: %d\n", meminfo_kb("Cached") >= meminfo_kb("Shmem"));
    long ns = vmstat("nr_shmem") * 4 - meminfo_kb("Shmem");
    printf("nr_shmem is Shmem in pages: %d\n", ns > -2048 && ns < 2048);
    int fd = open("/tmp/shmemcount/f", O_CREAT | O_RDWR, 0600);
    fill(fd, 32 * MiB);
    moved("a 32 MiB tmpfs file");
    close(fd);
    CHECK(unlink("/tmp/shmemcount/f"));
    moved("unlinked");
    char *p = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    moved("16 MiB shared anonymous, untouched");
    memset(p, 1, 16 * MiB);
    moved("written");
    CHECK(munmap(p, 16 * MiB));
    moved("unmapped");
    int m = memfd_create("shmemcount", 0);
    fill(m, 24 * MiB);
    moved("a 24 MiB memfd");
    close(m);
    moved("closed");
    umount2("/tmp/shmemcount", MNT_DETACH);
    rmdir("/tmp/shmemcount");
    return 0;
}
