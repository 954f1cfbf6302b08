/*
 * tests/linux/c/vfsioctl.c - the ioctls Linux answers for every file
 * before the file's own (do_vfs_ioctl, file_ioctl), on tmpfs (/dev/shm,
 * tmpfs on both sides), pipes, an eventfd, a socket and /proc: FIOQSIZE
 * (the bytes taken; ENOTTY but for files, directories and symlinks),
 * FIGETBSZ (4096, /proc's 1024, which stat and statx show too),
 * FS_IOC_FIEMAP (EOPNOTSUPP where the file system maps no extents),
 * FICLONE and FICLONERANGE (EBADF, EXDEV across mounts, EISDIR, EINVAL,
 * the modes' EBADF, then EOPNOTSUPP: tmpfs shares no blocks; EFAULT),
 * FIBMAP (EINVAL: no block map; EPERM without CAP_SYS_RAWIO) and the
 * preallocation ioctls (FS_IOC_RESVSP, UNRESVSP, ZERO_RANGE: fallocate
 * with FALLOC_FL_KEEP_SIZE).  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* linux/fs.h's and linux/fiemap.h's (musl has none) */
#define FIBMAP 1
#define FIGETBSZ 2
#define FIOQSIZE 0x5460
#define FS_IOC_FIEMAP 0xc020660b
#define FICLONE 0x40049409
#define FICLONERANGE 0x4020940d
#define FS_IOC_RESVSP 0x40305828
#define FS_IOC_UNRESVSP 0x40305829
#define FS_IOC_ZERO_RANGE 0x40305839

struct fiemap {
    uint64_t start, length;
    uint32_t flags, mapped, count, reserved;
};
struct clone_range {
    int64_t src_fd;
    uint64_t src_offset, src_length, dest_offset;
};
struct space_resv {
    int16_t type, whence;
    int64_t start, len;
    int32_t sysid;
    uint32_t pid;
    int32_t pad[4];
};

static const char *dir = "/dev/shm/vfsioctl-test";

static void sizes(const char *what, int fd)
{
    long long q = -1;
    int b = -1;
    int rq = ioctl(fd, FIOQSIZE, &q);
    const char *eq = rq < 0 ? errno_name(errno) : "";
    int rb = ioctl(fd, FIGETBSZ, &b);
    struct fiemap fm = {0, ~0ull, 0, 0, 0, 0};
    int rf = ioctl(fd, FS_IOC_FIEMAP, &fm);
    printf("%-22s FIOQSIZE %d %lld %s, FIGETBSZ %d %d, FIEMAP %s\n", what, rq, q, eq, rb, b, rf < 0 ? errno_name(errno) : "ok");
}

static void clone(const char *what, int dst, int src)
{
    struct clone_range cr = {src, 0, 0, 0};
    int r1 = ioctl(dst, FICLONE, src);
    int e1 = errno;
    int r2 = ioctl(dst, FICLONERANGE, &cr);
    printf("%-40s FICLONE %d %s, FICLONERANGE %d %s\n", what, r1, r1 < 0 ? errno_name(e1) : "", r2,
           r2 < 0 ? errno_name(errno) : "");
}

static void resv(const char *what, int fd, unsigned long req, int whence, long long start, long long len)
{
    struct space_resv sr = {0, (int16_t)whence, start, len, 0, 0, {0}};
    struct stat st;
    int r = ioctl(fd, req, &sr);
    int e = errno;
    fstat(fd, &st);
    printf("%-34s %d %s size %lld blocks %lld\n", what, r, r < 0 ? errno_name(e) : "", (long long)st.st_size,
           (long long)st.st_blocks);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char path[128];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/f", dir);
    int f = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY), ap = open(path, O_RDWR | O_APPEND);
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    int p[2], q[2];
    pipe(p), pipe(q);
    int e = eventfd(0, 0), s = socket(AF_UNIX, SOCK_STREAM, 0);
    int proc = open("/proc/self/status", O_RDONLY);

    sizes("empty file", f);
    CHECK(write(f, "abc", 3));
    sizes("file of 3 bytes", f);
    char big[5000] = {0};
    CHECK(pwrite(f, big, sizeof big, 0));
    sizes("file of 5000 bytes", f);
    sizes("directory", d);
    sizes("pipe", p[0]);
    sizes("eventfd", e);
    sizes("socket", s);
    sizes("/proc/self/status", proc);
    struct stat st;
    CHECK(fstat(proc, &st));
    printf("/proc/self/status st_blksize %ld\n", (long)st.st_blksize);
    uint32_t sx[64] = {0}; /* struct statx: stx_blksize is its second word */
    CHECK(syscall(SYS_statx, proc, "", AT_EMPTY_PATH, 0x7ff, sx));
    printf("/proc/self/status stx_blksize %u\n", sx[1]);
    CHECK(ioctl(f, FIOQSIZE, (void *)8));

    clone("bad source", f, 999);
    clone("source -1", f, -1);
    clone("same file", f, f);
    clone("read-only destination", ro, f);
    clone("write-only source", f, wo);
    clone("append-only destination", ap, f);
    clone("directory destination", d, f);
    clone("directory source", f, d);
    clone("pipe source (another mount)", f, p[0]);
    clone("pipe destination (another mount)", p[1], f);
    clone("two pipes", q[1], p[0]);
    clone("eventfd and pipe", e, p[0]);
    clone("/proc source", f, proc);
    CHECK(ioctl(f, FICLONERANGE, (void *)8));

    int blk = 0;
    CHECK(ioctl(f, FIBMAP, &blk));
    CHECK(ioctl(d, FIBMAP, &blk));
    CHECK(ioctl(p[0], FIBMAP, &blk));
    CHECK(ioctl(f, FIBMAP, (void *)8));
    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534) < 0)
            _exit(1);
        CHECK(ioctl(f, FIBMAP, &blk));
        _exit(0);
    }
    waitpid(c, NULL, 0);

    int t = open(path, O_RDWR | O_TRUNC);
    resv("RESVSP 0+8192", t, FS_IOC_RESVSP, SEEK_SET, 0, 8192);
    CHECK(write(t, "xy", 2));
    resv("RESVSP at SEEK_CUR+4096 of 4096", t, FS_IOC_RESVSP, SEEK_CUR, 4096, 4096);
    resv("RESVSP at SEEK_END+0 of 4096", t, FS_IOC_RESVSP, SEEK_END, 0, 4096);
    resv("UNRESVSP 0+4096", t, FS_IOC_UNRESVSP, SEEK_SET, 0, 4096);
    resv("ZERO_RANGE 0+4096", t, FS_IOC_ZERO_RANGE, SEEK_SET, 0, 4096);
    resv("RESVSP whence 7", t, FS_IOC_RESVSP, 7, 0, 4096);
    resv("RESVSP of length 0", t, FS_IOC_RESVSP, SEEK_SET, 0, 0);
    resv("RESVSP at -4096", t, FS_IOC_RESVSP, SEEK_SET, -4096, 4096);
    resv("RESVSP read-only", ro, FS_IOC_RESVSP, SEEK_SET, 0, 4096);
    resv("RESVSP directory", d, FS_IOC_RESVSP, SEEK_SET, 0, 4096);
    resv("RESVSP pipe", p[0], FS_IOC_RESVSP, SEEK_SET, 0, 4096);
    CHECK(ioctl(t, FS_IOC_RESVSP, (void *)8));

    unlink(path);
    rmdir(dir);
    return 0;
}
