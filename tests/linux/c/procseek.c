/*
 * tests/linux/c/procseek.c - what stat and lseek say of /proc's files:
 * no size and no blocks (config.gz's size is its length), links of size
 * 0; the seq_files take SEEK_SET and SEEK_CUR only (SEEK_END, SEEK_DATA
 * and SEEK_HOLE are EINVAL), while the sysctls and a process's cmdline,
 * environ, auxv and one-number settings seek as files of size 0 (SEEK_END
 * from 0, SEEK_DATA and SEEK_HOLE ENXIO).  The output must equal the
 * host's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/stat.h>

static const char *err(long r) { return r < 0 ? errno_name(errno) : "ok"; }

static void seeks(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        printf("%s: %s\n", path, errno_name(errno));
        return;
    }
    printf("%s: size %lld blocks %lld", path, (long long)st.st_size, (long long)st.st_blocks);
    long r = lseek(fd, 0, SEEK_END);
    printf(", SEEK_END %ld %s", r, err(r));
    r = lseek(fd, -1, SEEK_END);
    printf(", SEEK_END-1 %ld %s", r, err(r));
    r = lseek(fd, 0, SEEK_DATA);
    printf(", SEEK_DATA %ld %s", r, err(r));
    r = lseek(fd, 0, SEEK_HOLE);
    printf(", SEEK_HOLE %ld %s", r, err(r));
    r = lseek(fd, 3, SEEK_SET);
    printf(", SEEK_SET 3 %ld", r);
    r = lseek(fd, 2, SEEK_CUR);
    printf(", SEEK_CUR +2 %ld", r);
    r = lseek(fd, -10, SEEK_CUR);
    printf(", SEEK_CUR -10 %ld %s\n", r, err(r));
    close(fd);
}

int main(void)
{
    static const char *const files[] = {
        "/proc/self/status",        "/proc/self/stat",   "/proc/self/statm",        "/proc/self/maps",
        "/proc/self/limits",        "/proc/self/mounts", "/proc/self/fdinfo/0",     "/proc/self/comm",
        "/proc/self/cmdline",       "/proc/self/environ", "/proc/self/auxv",        "/proc/self/oom_score_adj",
        "/proc/self/oom_adj",       "/proc/self/coredump_filter", "/proc/meminfo",  "/proc/version",
        "/proc/uptime",             "/proc/loadavg",     "/proc/filesystems",       "/proc/sys/kernel/ostype",
        "/proc/sys/kernel/pid_max", "/proc/sys/vm/overcommit_memory"};
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
        seeks(files[i]);

    struct stat st;
    lstat("/proc/self", &st);
    printf("/proc/self: link %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    lstat("/proc/self/exe", &st);
    printf("/proc/self/exe: link %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    /* (not /proc/self/fd's size: Linux 6.2 made it the count of descriptors, 6.1 shows 0) */

    int fd = open("/proc/config.gz", O_RDONLY);
    if (fd >= 0) {
        static char buf[1 << 17];
        long n = 0, r;
        while ((r = read(fd, buf, sizeof buf)) > 0)
            n += r;
        fstat(fd, &st);
        printf("/proc/config.gz: size is its length %d, blocks %lld, SEEK_END is its length %d\n", st.st_size == n,
               (long long)st.st_blocks, lseek(fd, 0, SEEK_END) == n);
        close(fd);
    }
    return 0;
}
