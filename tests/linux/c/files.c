/*
 * tests/linux/c/files.c - the file API: open flags, read/write/seek,
 * pread/pwrite, readv/writev, dup family, fcntl, stat family, directories,
 * links, rename, truncate, sendfile, statfs, chown; seeks of the memory
 * devices (always at 0), a whence past SEEK_HOLE, fsync of /proc's
 * files (devices_and_proc).  One line per check; the output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/eventfd.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(expr)                                                                                      \
    do {                                                                                                 \
        long r_ = (long)(expr);                                                                          \
        report(#expr, r_, errno);                                                                        \
    } while (0)
static void report(const char *what, long r, int err)
{
    printf("%-58s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(err) : "");
    errno = 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

#define MAX_LISTED 64

static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void devices_and_proc(void)
{
    const char *devs[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
    for (int i = 0; i < 5; i++) {
        int fd = open(devs[i], O_RDONLY);
        printf("%s:\n", devs[i]);
        CHECK(lseek(fd, 100, SEEK_SET));
        CHECK(lseek(fd, 5, SEEK_CUR));
        CHECK(lseek(fd, -1, SEEK_SET));
        CHECK(lseek(fd, 0, 7));
        CHECK(fsync(fd));
        close(fd);
    }
    int p[2];
    pipe(p);
    CHECK(lseek(p[0], 0, 7));
    CHECK(lseek(p[0], 0, SEEK_SET));
    const char *procs[] = {"/proc/self/status", "/proc/self/cmdline", "/proc/sys/kernel/pid_max", "/proc/self"};
    for (int i = 0; i < 4; i++) {
        int fd = open(procs[i], O_RDONLY);
        printf("%s:\n", procs[i]);
        CHECK(fsync(fd));
        CHECK(fdatasync(fd));
        CHECK(syncfs(fd));
        close(fd);
    }
    close(p[0]), close(p[1]);
}

int main(void)
{
    char buf[64] = {0};
    devices_and_proc();
    CHECK(open("f", O_RDONLY));
    int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0640);
    CHECK(fd >= 0);
    CHECK(open("f", O_RDWR | O_CREAT | O_EXCL, 0640));
    CHECK(write(fd, "hello world", 11));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, -5, SEEK_END));
    CHECK(read(fd, buf, sizeof buf));
    printf("read back: %s\n", buf);
    CHECK(lseek(fd, -1, SEEK_SET));
    CHECK(pwrite(fd, "HELLO", 5, 0));
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 5, 0));
    printf("pread: %s\n", buf);
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(writev(fd, iov, 2));
    struct stat st;
    CHECK(fstat(fd, &st));
    printf("size %ld mode %o nlink %ld\n", (long)st.st_size, st.st_mode & 07777, (long)st.st_nlink);
    int d = dup(fd);
    CHECK(d > fd);
    CHECK(dup2(fd, 10));
    CHECK(fcntl(10, F_GETFD));
    CHECK(dup3(fd, 11, O_CLOEXEC));
    CHECK(fcntl(11, F_GETFD));
    CHECK(fcntl(fd, F_GETFL) & O_ACCMODE);
    CHECK(fcntl(fd, F_DUPFD, 20));
    CHECK(fcntl(fd, F_DUPFD, (long)0x100000015ULL)); /* 21: the argument is an int */
    CHECK(close(21));
    uint64_t hint = 0;
    CHECK(fcntl(fd, F_GET_RW_HINT, &hint));
    hint = 6;
    CHECK(fcntl(fd, F_SET_RW_HINT, &hint));
    hint = 3;
    CHECK(fcntl(fd, F_SET_RW_HINT, &hint));
    hint = 0;
    CHECK(fcntl(fd, F_GET_RW_HINT, &hint) == 0 ? (long)hint : -1);
    CHECK(fcntl(fd, F_GET_RW_HINT, NULL));
    CHECK(close(10) + close(11) + close(20) + close(d));
    CHECK(close(10));
    CHECK(ftruncate(fd, 3));
    CHECK(fstat(fd, &st) == 0 ? st.st_size : -1);
    CHECK(close(fd));
    CHECK(truncate("f", 8));
    CHECK(stat("f", &st) == 0 ? st.st_size : -1);
    CHECK(mkdir("dir", 0755));
    CHECK(mkdir("dir", 0755));
    CHECK(rmdir("f"));
    CHECK(unlink("dir"));
    CHECK(link("f", "dir/hard"));
    CHECK(stat("f", &st) == 0 ? (long)st.st_nlink : -1);
    CHECK(symlink("../f", "dir/sym"));
    CHECK(readlink("dir/sym", buf, sizeof buf));
    CHECK(lstat("dir/sym", &st) == 0 ? S_ISLNK(st.st_mode) : -1);
    CHECK(stat("dir/sym", &st) == 0 ? S_ISREG(st.st_mode) : -1);
    CHECK(rename("dir/hard", "dir/renamed"));
    CHECK(access("dir/renamed", R_OK | W_OK));
    CHECK(access("dir/none", F_OK));
    DIR *dir = opendir("dir");
    char *names[8];
    int n = 0;
    for (struct dirent *e; dir && (e = readdir(dir)) && n < 8;)
        names[n++] = strdup(e->d_name);
    qsort(names, (size_t)n, sizeof *names, cmp);
    for (int i = 0; i < n; i++)
        printf("entry %s\n", names[i]);
    closedir(dir);
    CHECK(rmdir("dir"));
    CHECK(chdir("dir"));
    CHECK(getcwd(buf, sizeof buf) != NULL);
    CHECK(chdir(".."));
    int in = open("f", O_RDONLY), out = open("copy", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    off_t off = 0;
    CHECK(sendfile(out, in, &off, 100));
    CHECK(off);
    CHECK(sendfile(in, in, NULL, 1)); /* each descriptor opened for its direction; no appending output */
    CHECK(sendfile(out, out, NULL, 1));
    int app = open("copy", O_WRONLY | O_APPEND);
    CHECK(sendfile(app, in, NULL, 1));
    CHECK(close(app));
    CHECK(chmod("copy", 0444) + stat("copy", &st) + (int)(st.st_mode & 0777));
    unsigned char sx[256]; /* struct statx: nlink at 16, mode at 28, size at 40 */
    CHECK(syscall(SYS_statx, AT_FDCWD, "copy", 0, 0x7ffu, sx));
    unsigned long long sxsize;
    unsigned short sxmode;
    unsigned int sxnlink;
    memcpy(&sxsize, sx + 40, 8), memcpy(&sxmode, sx + 28, 2), memcpy(&sxnlink, sx + 16, 4);
    printf("statx: size %llu mode %o nlink %u\n", sxsize, sxmode & 07777, sxnlink);
    CHECK(umask(077));
    CHECK(umask(022));
    CHECK(openat(AT_FDCWD, "dir/renamed", O_RDONLY | O_DIRECTORY));
    CHECK(unlinkat(AT_FDCWD, "dir", AT_REMOVEDIR));

    /* statfs: what any Linux reports whatever its disks (the test's own
     * directory is on whatever file system the host has). */
    struct statfs sf;
    CHECK(statfs(".", &sf));
    printf("statfs .: bsize %d, blocks >= bfree >= bavail %d, namelen %ld\n", sf.f_bsize > 0,
           sf.f_blocks >= sf.f_bfree && sf.f_bfree >= sf.f_bavail, (long)sf.f_namelen);
    CHECK(statfs("/proc", &sf));
    printf("statfs /proc: type %#lx, blocks %ld\n", (unsigned long)sf.f_type, (long)sf.f_blocks);
    int pfd[2];
    pipe(pfd);
    CHECK(fstatfs(pfd[0], &sf));
    printf("fstatfs pipe: type %#lx\n", (unsigned long)sf.f_type);
    int efd = eventfd(0, 0);
    CHECK(fstatfs(efd, &sf));
    printf("fstatfs eventfd: type %#lx\n", (unsigned long)sf.f_type);
    int pf = open("/proc/self/status", O_RDONLY);
    CHECK(fstatfs(pf, &sf));
    printf("fstatfs /proc/self/status: type %#lx\n", (unsigned long)sf.f_type);
    CHECK(statfs("no/such/dir", &sf));
    CHECK(syscall(SYS_statfs, ".", (struct statfs *)8)); /* libc would write the buffer first */
    CHECK(fstatfs(-1, &sf));
    CHECK(syscall(SYS_statfs, (char *)8, &sf));
    struct stat here, proc, procself;
    stat(".", &here), stat("/proc", &proc), stat("/proc/self/status", &procself);
    printf("st_dev: /proc differs from . %d, /proc/self/status is on /proc %d\n", here.st_dev != proc.st_dev,
           proc.st_dev == procself.st_dev);
    CHECK(rename("copy", "/proc/copy"));

    /* chown to the caller's own ids, which needs no privilege: the ids
     * stay, and a regular file loses its set-user-ID bit. */
    int own = open("owned", O_RDWR | O_CREAT, 0644);
    CHECK(chmod("owned", 04755));
    CHECK(chown("owned", getuid(), getgid()));
    CHECK(stat("owned", &st) + (int)(st.st_mode & 07777));
    CHECK(stat("owned", &st) + (st.st_uid == getuid() && st.st_gid == getgid()));
    CHECK(fchown(own, (uid_t)-1, (gid_t)-1));
    CHECK(symlink("owned", "owned-link"));
    CHECK(lchown("owned-link", getuid(), (gid_t)-1));
    CHECK(fchownat(AT_FDCWD, "", getuid(), getgid(), AT_EMPTY_PATH));
    CHECK(fchownat(own, "", getuid(), getgid(), AT_EMPTY_PATH));
    struct stat cwd_st;
    CHECK(fstatat(AT_FDCWD, "", &cwd_st, AT_EMPTY_PATH) + stat(".", &st) + (cwd_st.st_ino == st.st_ino));
    CHECK(fchownat(AT_FDCWD, "owned", getuid(), getgid(), 0x8000));
    CHECK(chown("no/such", getuid(), getgid()));
    CHECK(fchown(-1, getuid(), getgid()));

    /* An open file outlives its name; its contents go at the last close. */
    int gone = open("gone", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(write(gone, "still here", 10));
    CHECK(unlink("gone"));
    CHECK(fstat(gone, &st) + st.st_nlink * 100 + st.st_size);
    memset(buf, 0, sizeof buf);
    CHECK(pread(gone, buf, sizeof buf, 0));
    printf("unlinked, read back: %s\n", buf);
    CHECK(close(gone));

    /* Positioned I/O needs a file with positions: a pipe or an eventfd has
     * none; /dev/null takes a pwrite whole and a pread reads nothing. */
    int nul = open("/dev/null", O_RDWR);
    CHECK(pread(pfd[0], buf, 1, 0));
    CHECK(pwrite(pfd[1], "x", 1, 0));
    CHECK(pread(efd, buf, 8, 0));
    CHECK(pwrite(nul, "abc", 3, 100));
    CHECK(pread(nul, buf, 3, 0));
    CHECK(pread(nul, buf, 3, -1));
    CHECK(write(nul, (void *)8, 3));
    CHECK(close(nul));

    /* RLIMIT_NOFILE: a lower soft limit is the first descriptor refused,
     * and children inherit it. */
    struct rlimit rl, keep;
    for (int i = 3; i < 64; i++)
        close(i);
    CHECK(getrlimit(RLIMIT_NOFILE, &keep));
    rl = keep;
    rl.rlim_cur = 10;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    int last = -1, fdn;
    while ((fdn = open("/dev/null", O_RDONLY)) >= 0)
        last = fdn;
    printf("highest descriptor under a limit of 10: %d, then %s\n", last, strerror(errno));
    errno = 0;
    CHECK(dup2(0, 10));
    CHECK(fcntl(0, F_DUPFD, 10));
    fflush(stdout);
    if (fork() == 0) {
        getrlimit(RLIMIT_NOFILE, &rl);
        printf("child's soft limit: %ld\n", (long)rl.rlim_cur);
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    rl.rlim_cur = keep.rlim_max == RLIM_INFINITY ? 10 : keep.rlim_max + 1;
    rl.rlim_max = keep.rlim_max == RLIM_INFINITY ? 5 : keep.rlim_max;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl)); /* soft above hard */
    CHECK(prlimit(999999, RLIMIT_NOFILE, NULL, &rl));
    CHECK(getrlimit(99, &rl));
    CHECK(setrlimit(RLIMIT_NOFILE, &keep));

    /* Times: a new file's are now, writes and new entries move the
     * modification time, chmod the change time, and futimens/utimensat set
     * them to the nanosecond or leave them (UTIME_OMIT).  "Now" is the
     * coarse clock's, which Linux stamps files with: time() may be a
     * second ahead of it just after a second begins. */
    struct timespec coarse;
    clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
    time_t t0 = coarse.tv_sec;
    mkdir("timed", 0755);
    int tf = open("timed/f", O_RDWR | O_CREAT, 0644);
    CHECK(fstat(tf, &st) + (st.st_mtime >= t0 && st.st_mtime <= time(NULL)));
    struct timespec set[2] = {{100, 5}, {200, 7}};
    CHECK(futimens(tf, set));
    CHECK(fstat(tf, &st));
    printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec);
    struct timespec omit_now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    CHECK(utimensat(AT_FDCWD, "timed/f", omit_now, 0));
    CHECK(stat("timed/f", &st) + (st.st_atim.tv_sec == 100) * 10 + (st.st_mtime >= t0));
    CHECK(futimens(tf, set) + write(tf, "x", 1) + fstat(tf, &st) + (st.st_mtime >= t0) * 10);
    CHECK(utimensat(AT_FDCWD, "timed", set, 0));
    CHECK(open("timed/g", O_CREAT | O_WRONLY, 0644) >= 0);
    CHECK(stat("timed", &st) + (st.st_mtime >= t0)); /* a new entry moves the directory's time */
    CHECK(fchmod(tf, 0600) + fstat(tf, &st) + (st.st_ctime >= t0));
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    CHECK(futimens(tf, bad));
    unsigned char sx2[256];
    long long sxm;
    CHECK(syscall(SYS_statx, AT_FDCWD, "timed/f", 0, 0x7ffu, sx2) + fstat(tf, &st));
    memcpy(&sxm, sx2 + 112, 8);
    printf("statx mtime equals stat's: %d\n", sxm == (long long)st.st_mtime);
    /* /proc/self/fd lists every open descriptor, the directory's own among them */
    DIR *pd = opendir("/proc/self/fd");
    int nums[MAX_LISTED], nn = 0, listed_self = 0;
    for (struct dirent *e; pd && nn < MAX_LISTED && (e = readdir(pd));)
        if (e->d_name[0] != '.')
            nums[nn++] = atoi(e->d_name), listed_self |= nums[nn - 1] == dirfd(pd);
    qsort(nums, (size_t)nn, sizeof nums[0], by_value);
    printf("/proc/self/fd:");
    for (int i = 0; i < nn; i++)
        printf(" %d", nums[i]);
    printf("; its own descriptor among them: %d\n", listed_self);
    closedir(pd);
    return 0;
}
