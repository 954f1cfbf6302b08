/*
 * tests/linux/c/iflags.c - chattr's inode flags on tmpfs, as Linux's
 * fileattr and shmem keep them: FS_IOC_GETFLAGS and SETFLAGS (tmpfs takes
 * IMMUTABLE, APPEND, NODUMP and NOATIME, any other EOPNOTSUPP), the
 * FSGETXATTR and FSSETXATTR view of them, statx's attributes, and what
 * the flags forbid: an immutable file's opens for writing, truncation,
 * unlink, rename, link, chmod, chown, utimes, xattrs, fallocate and
 * copy_file_range into it, and
 * new names in an immutable directory; an append-only file opened without
 * O_APPEND, O_APPEND changed by F_SETFL, truncation, times of one's own,
 * fallocate but plain allocation, and shared mappings; NOATIME's atime;
 * the flags a new file takes from its directory; the owner's and
 * CAP_LINUX_IMMUTABLE's rights; ENOTTY for files without flags; EROFS.
 * As root; on the host in a mount namespace of its own.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define D "/tmp/iflags-test"
/* linux/fs.h's, which musl's headers leave out; the flags' requests say a
 * long's size (an i386 program's are Linux's FS_IOC32_*) */
#define FS_IOC_GETFLAGS _IOR('f', 1, long)
#define FS_IOC_SETFLAGS _IOW('f', 2, long)
#define FS_IOC_FSGETXATTR 0x801c581f
#define FS_IOC_FSSETXATTR 0x401c5820
#define FS_SECRM_FL 0x1
#define FS_SYNC_FL 0x8
#define FS_IMMUTABLE_FL 0x10
#define FS_APPEND_FL 0x20
#define FS_NODUMP_FL 0x40
#define FS_NOATIME_FL 0x80
#define FS_XFLAG_APPEND 0x10
#define FS_XFLAG_SYNC 0x20
#define FS_XFLAG_EXTSIZE 0x800
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif
struct fsxattr {
    uint32_t fsx_xflags, fsx_extsize, fsx_nextents, fsx_projid, fsx_cowextsize;
    unsigned char fsx_pad[8];
};
#ifndef STATX_ATTR_COMPRESSED /* glibc's sys/stat.h has them */
#define STATX_ATTR_COMPRESSED 0x4
#define STATX_ATTR_IMMUTABLE 0x10
#define STATX_ATTR_APPEND 0x20
#define STATX_ATTR_NODUMP 0x40
#endif
#define SHOWN (FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL | FS_SYNC_FL)

/* FS_IOC_GETFLAGS or SETFLAGS on path, opened to read. */
static int fileattr(const char *path, unsigned long req, int *flags)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return -1;
    int r = ioctl(fd, req, flags);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static int setflags(const char *path, int flags) { return fileattr(path, FS_IOC_SETFLAGS, &flags); }

static long getflags(const char *path)
{
    int flags = -1, r = fileattr(path, FS_IOC_GETFLAGS, &flags);
    return r < 0 ? r : flags & SHOWN;
}

/* statx's attributes of the chattr flags: set, and known. */
static void attrs(const char *path)
{
    uint64_t sx[32] = {0}; /* struct statx: stx_attributes at 8, stx_attributes_mask at 56 */
    if (syscall(SYS_statx, AT_FDCWD, path, 0, 0x7ff, sx) < 0) {
        printf("statx %s: %s\n", path, errno_name(errno));
        return;
    }
    uint64_t known = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND | STATX_ATTR_NODUMP | STATX_ATTR_COMPRESSED;
    printf("statx %s: attributes %#lx of %#lx\n", path, (unsigned long)(sx[1] & known),
           (unsigned long)(sx[7] & known));
}

static void immutable_file(void)
{
    int w = open(D "/i", O_CREAT | O_RDWR, 0644); /* opened for writing before */
    CHECK(write(w, "abc", 3));
    CHECK(setflags(D "/i", FS_IMMUTABLE_FL));
    CHECK(getflags(D "/i"));
    attrs(D "/i");
    CHECK(open(D "/i", O_WRONLY));
    CHECK(open(D "/i", O_RDONLY | O_TRUNC));
    int r = open(D "/i", O_RDONLY);
    CHECK(r >= 0);
    CHECK(truncate(D "/i", 0));
    CHECK(unlink(D "/i"));
    CHECK(rename(D "/i", D "/i2"));
    CHECK(close(open(D "/t", O_CREAT | O_RDWR, 0644)));
    CHECK(rename(D "/t", D "/i"));
    CHECK(link(D "/i", D "/i3"));
    CHECK(chmod(D "/i", 0600));
    CHECK(chown(D "/i", 0, 0));
    CHECK(chown(D "/i", -1, -1));
    CHECK(utimensat(AT_FDCWD, D "/i", NULL, 0));
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    CHECK(utimensat(AT_FDCWD, D "/i", ts, 0));
    CHECK(setxattr(D "/i", "user.x", "1", 1, 0));
    CHECK(removexattr(D "/i", "user.x"));
    CHECK(setxattr(D "/i", "bogus.x", "1", 1, 0));
    CHECK(fallocate(w, 0, 0, 4096));
    CHECK(write(w, "d", 1)); /* a file open for writing before stays so */
    CHECK(ftruncate(w, 2));
    CHECK(syscall(SYS_copy_file_range, r, NULL, w, NULL, 1, 0));
    void *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r, 0);
    CHECK(m != MAP_FAILED);
    int fl = 0;
    CHECK(ioctl(r, FS_IOC_SETFLAGS, &fl));
    CHECK(getflags(D "/i"));
    CHECK(unlink(D "/i"));
    munmap(m, 4096);
    close(w), close(r);
}

static void append_file(void)
{
    CHECK(close(open(D "/a", O_CREAT | O_RDWR, 0644)));
    CHECK(setflags(D "/a", FS_APPEND_FL));
    CHECK(getflags(D "/a"));
    attrs(D "/a");
    CHECK(open(D "/a", O_WRONLY));
    CHECK(open(D "/a", O_RDWR | O_APPEND | O_TRUNC));
    int w = open(D "/a", O_RDWR | O_APPEND);
    CHECK(w >= 0);
    int r = open(D "/a", O_RDONLY);
    CHECK(r >= 0);
    CHECK(fcntl(w, F_SETFL, O_RDWR));
    CHECK(fcntl(r, F_SETFL, O_APPEND));
    CHECK(fcntl(w, F_SETFL, O_APPEND | O_NONBLOCK));
    CHECK(write(w, "hello", 5));
    CHECK(pwrite(w, "!", 1, 0)); /* appends all the same */
    char buf[16] = {0};
    CHECK(pread(r, buf, sizeof buf - 1, 0));
    printf("contents: %s\n", buf);
    CHECK(truncate(D "/a", 0));
    CHECK(ftruncate(w, 0));
    CHECK(unlink(D "/a"));
    CHECK(rename(D "/a", D "/a2"));
    CHECK(link(D "/a", D "/a3"));
    CHECK(chmod(D "/a", 0600));
    CHECK(chown(D "/a", 0, -1));
    CHECK(utimensat(AT_FDCWD, D "/a", NULL, 0));
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}}, omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    CHECK(utimensat(AT_FDCWD, D "/a", now, 0));
    CHECK(utimensat(AT_FDCWD, D "/a", omit, 0));
    CHECK(setxattr(D "/a", "user.x", "1", 1, 0));
    CHECK(fallocate(w, 0, 0, 8192));
    CHECK(fallocate(w, FALLOC_FL_KEEP_SIZE, 0, 16384));
    CHECK(fallocate(w, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    CHECK(fallocate(w, FALLOC_FL_ZERO_RANGE, 0, 4096));
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, w, 0) == MAP_FAILED ? -1 : 0);
    void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, w, 0);
    CHECK(m == MAP_FAILED ? -1 : munmap(m, 4096));
    m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r, 0);
    CHECK(m == MAP_FAILED ? -1 : munmap(m, 4096));
    int fl = 0;
    CHECK(ioctl(w, FS_IOC_SETFLAGS, &fl));
    CHECK(fcntl(w, F_SETFL, 0));
    CHECK(unlink(D "/a"));
    close(w), close(r);
}

static void directories(void)
{
    CHECK(mkdir(D "/di", 0755));
    CHECK(close(open(D "/di/old", O_CREAT | O_RDWR, 0644)));
    CHECK(setflags(D "/di", FS_IMMUTABLE_FL));
    CHECK(getflags(D "/di"));
    attrs(D "/di");
    CHECK(open(D "/di/new", O_CREAT | O_RDWR, 0644));
    CHECK(mkdir(D "/di/sub", 0755));
    CHECK(symlink("old", D "/di/link"));
    CHECK(mkfifo(D "/di/fifo", 0644));
    CHECK(open(D "/di", O_TMPFILE | O_RDWR, 0644));
    CHECK(access(D "/di", W_OK));
    CHECK(access(D "/di/old", W_OK));
    CHECK(unlink(D "/di/old"));
    CHECK(rename(D "/di/old", D "/moved"));
    CHECK(close(open(D "/di/old", O_RDWR))); /* its files are not */
    CHECK(rmdir(D "/di"));
    CHECK(setflags(D "/di", 0));

    CHECK(mkdir(D "/da", 0755));
    CHECK(setflags(D "/da", FS_APPEND_FL));
    CHECK(close(open(D "/da/f", O_CREAT | O_RDWR, 0644)));
    CHECK(mkdir(D "/da/sub", 0755));
    CHECK(unlink(D "/da/f"));
    CHECK(rmdir(D "/da/sub"));
    CHECK(rename(D "/da/f", D "/da/g"));
    CHECK(rename(D "/di/old", D "/da/old"));
    CHECK(getflags(D "/da/f"));
    CHECK(setflags(D "/da", 0));

    CHECK(mkdir(D "/dn", 0755));
    CHECK(setflags(D "/dn", FS_NODUMP_FL | FS_NOATIME_FL));
    CHECK(close(open(D "/dn/f", O_CREAT | O_RDWR, 0644)));
    CHECK(mkdir(D "/dn/sub", 0755));
    CHECK(mkfifo(D "/dn/fifo", 0644));
    CHECK(getflags(D "/dn/f"));
    CHECK(getflags(D "/dn/sub"));
    attrs(D "/dn/f");
    struct timespec ts[2] = {{1000, 0}, {1000, 0}};
    CHECK(utimensat(AT_FDCWD, D "/dn/f", ts, 0));
    int fd = open(D "/dn/f", O_RDONLY);
    char c;
    CHECK(read(fd, &c, 1));
    close(fd);
    struct stat st;
    CHECK(stat(D "/dn/f", &st));
    printf("noatime: atime %ld\n", (long)st.st_atime);
    CHECK(setflags(D "/dn/f", 0));
    fd = open(D "/dn/f", O_RDONLY);
    CHECK(read(fd, &c, 1));
    close(fd);
    CHECK(stat(D "/dn/f", &st));
    printf("after: atime changed %d\n", st.st_atime != 1000);
}

static void rights(void)
{
    CHECK(close(open(D "/root", O_CREAT | O_RDWR, 0644)));
    CHECK(close(open(D "/nobody", O_CREAT | O_RDWR, 0644)));
    CHECK(chown(D "/nobody", 65534, 65534));
    CHECK(setflags(D "/root", FS_APPEND_FL));
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
            _exit(1);
        CHECK(getflags(D "/root"));
        CHECK(setflags(D "/root", FS_APPEND_FL | FS_NODUMP_FL));
        CHECK(setflags(D "/nobody", FS_NODUMP_FL));
        CHECK(getflags(D "/nobody"));
        CHECK(setflags(D "/nobody", FS_NODUMP_FL | FS_APPEND_FL));
        CHECK(setflags(D "/nobody", FS_IMMUTABLE_FL));
        CHECK(setflags(D "/nobody", FS_SYNC_FL));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", status);
    CHECK(setflags(D "/nobody", FS_IMMUTABLE_FL));
    CHECK(getflags(D "/nobody"));
    CHECK(setflags(D "/nobody", 0));
    CHECK(setflags(D "/root", 0));
}

static void xattr_view(void)
{
    CHECK(close(open(D "/x", O_CREAT | O_RDWR, 0644)));
    int fd = open(D "/x", O_RDONLY);
    struct fsxattr fx = {0};
    CHECK(setflags(D "/x", FS_NODUMP_FL | FS_NOATIME_FL));
    CHECK(ioctl(fd, FS_IOC_FSGETXATTR, &fx));
    printf("xflags %#x extsize %u nextents %u projid %u\n", fx.fsx_xflags, fx.fsx_extsize, fx.fsx_nextents,
           fx.fsx_projid);
    fx = (struct fsxattr){.fsx_xflags = FS_XFLAG_APPEND};
    CHECK(ioctl(fd, FS_IOC_FSSETXATTR, &fx));
    CHECK(getflags(D "/x"));
    fx = (struct fsxattr){.fsx_xflags = FS_XFLAG_SYNC};
    CHECK(ioctl(fd, FS_IOC_FSSETXATTR, &fx));
    fx = (struct fsxattr){.fsx_xflags = 0, .fsx_extsize = 4096};
    CHECK(ioctl(fd, FS_IOC_FSSETXATTR, &fx));
    fx = (struct fsxattr){.fsx_xflags = FS_XFLAG_EXTSIZE};
    CHECK(ioctl(fd, FS_IOC_FSSETXATTR, &fx));
    fx = (struct fsxattr){.fsx_xflags = 0};
    CHECK(ioctl(fd, FS_IOC_FSSETXATTR, &fx));
    CHECK(getflags(D "/x"));
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, (void *)8));
    CHECK(ioctl(fd, FS_IOC_SETFLAGS, (void *)8));
    close(fd);
}

static void no_flags(void)
{
    int fl = 0, p[2];
    CHECK(pipe(p));
    CHECK(ioctl(p[0], FS_IOC_GETFLAGS, &fl));
    CHECK(ioctl(p[1], FS_IOC_SETFLAGS, &fl));
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, &fl));
    close(fd);
    fd = open("/dev/null", O_RDWR);
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, &fl));
    close(fd);
    fd = open(D "/dn/fifo", O_RDWR);
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, &fl));
    close(fd);
    fd = open(D "/f", O_PATH);
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, &fl));
    close(fd);
    fd = memfd_create("m", 0);
    fl = -1;
    CHECK(ioctl(fd, FS_IOC_GETFLAGS, &fl));
    printf("memfd flags %#x\n", fl & SHOWN);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    CHECK(mount("none", D, "tmpfs", 0, "mode=755"));
    CHECK(close(open(D "/f", O_CREAT | O_RDWR, 0644)));
    CHECK(getflags(D "/f"));
    attrs(D "/f");
    CHECK(setflags(D "/f", FS_NODUMP_FL));
    CHECK(getflags(D "/f"));
    attrs(D "/f");
    CHECK(setflags(D "/f", FS_SYNC_FL));
    CHECK(setflags(D "/f", FS_NODUMP_FL | FS_SECRM_FL));
    CHECK(getflags(D "/f"));
    immutable_file();
    append_file();
    directories();
    rights();
    xattr_view();
    no_flags();
    CHECK(mount(NULL, D, NULL, MS_REMOUNT | MS_RDONLY, NULL));
    CHECK(setflags(D "/f", 0));
    CHECK(getflags(D "/f"));
    CHECK(umount2(D, MNT_DETACH));
    rmdir(D);
    return 0;
}
