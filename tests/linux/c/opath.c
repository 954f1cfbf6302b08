/*
 * tests/linux/c/opath.c - O_PATH descriptors: open with O_PATH names a
 * file without opening it (no permission on the file itself, a FIFO
 * without a wait, a device without its driver, a symlink itself with
 * O_NOFOLLOW; every flag but O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC
 * ignored), and what such a descriptor may do: fstat, fstatfs, close, dup,
 * fcntl's F_DUPFD, F_GETFD, F_SETFD and F_GETFL, be an *at() call's
 * directory, AT_EMPTY_PATH (fstatat, linkat, fchownat, execveat), readlinkat with an
 * empty path, /proc/self/fd/N (readlink, and open to reopen it), fchdir;
 * and what it may not, EBADF: read, write, lseek, fchmod, fchown, ioctl,
 * mmap, the f*xattr calls, getdents64, flock, fsync, ftruncate, poll's
 * POLLNVAL.  O_PATH opens and closes are no inotify events.  Also F_GETFL's flags for files opened by name (O_LARGEFILE
 * on 64-bit, O_DIRECTORY, O_NOFOLLOW, O_NOATIME kept) and made otherwise
 * (pipes, eventfd: none).  Files are in /dev/shm, a tmpfs on the host as
 * on Persona.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define DIR_ "/dev/shm/opath.d"

static const char *type(mode_t m)
{
    return S_ISREG(m) ? "reg" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "lnk" : S_ISFIFO(m) ? "fifo" : S_ISCHR(m) ? "chr"
           : S_ISBLK(m) ? "blk" : "other";
}

/* What fstat says of a descriptor: its type and size (a symlink's is its target's length). */
static void show(const char *what, int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        printf("%-40s fstat: %s\n", what, strerror(errno));
    else
        printf("%-40s %s size %lld\n", what, type(st.st_mode), (long long)(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) ? st.st_size : 0));
    errno = 0;
}

static void flags(const char *what, int fd)
{
    int fl = fcntl(fd, F_GETFL);
    printf("%-40s F_GETFL %#o%s%s\n", what, fl, fl < 0 ? " " : "", fl < 0 ? strerror(errno) : "");
    errno = 0;
}

static void link_of(const char *what, int fd)
{
    char proc[64], buf[256];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(proc, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = '\0';
    printf("%-40s -> %s%s\n", what, n < 0 ? strerror(errno) : "", buf);
    errno = 0;
}

/* What the calls that want an open file answer on O_PATH descriptor fd. */
static void refused(int fd, int isdir)
{
    char buf[16];
    int n;
    CHECK(read(fd, buf, sizeof buf));
    CHECK(write(fd, "x", 1));
    CHECK(pread(fd, buf, sizeof buf, 0));
    CHECK(lseek(fd, 0, SEEK_SET));
    CHECK(syscall(SYS_fchmod, fd, 0644)); /* musl's fchmod would go on through /proc/self/fd */
    CHECK(syscall(SYS_fchown, fd, 0, 0));
    CHECK(ioctl(fd, FIONREAD, &n));
    CHECK(ioctl(fd, FIOCLEX));
    CHECK(fsync(fd));
    CHECK(ftruncate(fd, 0));
    CHECK(flock(fd, LOCK_SH));
    CHECK(fcntl(fd, F_SETFL, O_NONBLOCK));
    CHECK(fcntl(fd, F_GETLK, &(struct flock){.l_type = F_RDLCK}));
    CHECK(fgetxattr(fd, "user.x", buf, sizeof buf));
    CHECK(fsetxattr(fd, "user.x", "1", 1, 0));
    CHECK(flistxattr(fd, buf, sizeof buf));
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
    CHECK(syscall(SYS_getdents64, fd, buf, sizeof buf));
    CHECK(syscall(SYS_utimensat, fd, NULL, NULL, 0));
    struct pollfd pfd = {fd, POLLIN, 0};
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    CHECK(fchdir(fd) == 0 ? (isdir ? 1 : 2) : -1);
}

/* What a user without any permission on the file may do with it. */
static void other_user(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        CHECK(open(DIR_ "/secret", O_RDONLY));
        int fd = open(DIR_ "/secret", O_PATH);
        CHECK(fd >= 0);
        show("secret as nobody", fd);
        CHECK(open(DIR_ "/closed/x", O_PATH)); /* the walk still needs search permission */
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child status %#x\n", st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct stat st;
    char buf[256];
    mkdir(DIR_, 0755);
    int w = open(DIR_ "/file", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(w, "hello\n", 6);
    close(w);
    symlink("file", DIR_ "/link");
    symlink("nowhere", DIR_ "/dangling");
    mkfifo(DIR_ "/fifo", 0644);
    mknod(DIR_ "/nodev", S_IFCHR | 0600, makedev(1, 250)); /* a device with no driver behind it */
    close(open(DIR_ "/secret", O_WRONLY | O_CREAT, 0));
    mkdir(DIR_ "/closed", 0700);

    printf("-- F_GETFL of files as open made them\n");
    int fd = open(DIR_ "/file", O_RDONLY);
    flags("file O_RDONLY", fd);
    close(fd);
    fd = open(DIR_ "/file", O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOATIME | O_TRUNC);
    flags("file O_RDWR|O_APPEND|...", fd);
    close(fd);
    fd = open(DIR_, O_RDONLY | O_DIRECTORY);
    flags("dir O_DIRECTORY", fd);
    close(fd);
    fd = open("/dev/null", O_WRONLY | O_NONBLOCK);
    flags("/dev/null O_WRONLY|O_NONBLOCK", fd);
    close(fd);
    fd = open(DIR_ "/fifo", O_RDWR);
    flags("fifo O_RDWR", fd);
    close(fd);
    int p[2];
    pipe(p);
    flags("pipe read end", p[0]);
    flags("pipe write end", p[1]);
    close(p[0]), close(p[1]);
    fd = eventfd(0, 0);
    flags("eventfd", fd);
    close(fd);
    fd = memfd_create("m", 0);
    flags("memfd", fd);
    close(fd);

    printf("-- opening with O_PATH\n");
    int f = open(DIR_ "/file", O_PATH | O_RDWR | O_TRUNC | O_APPEND);
    show("file", f);
    flags("file O_PATH|O_RDWR|O_TRUNC|O_APPEND", f);
    CHECK(fcntl(f, F_GETFD));
    int d = open(DIR_, O_PATH | O_DIRECTORY | O_CLOEXEC);
    show("dir", d);
    flags("dir O_PATH|O_DIRECTORY|O_CLOEXEC", d);
    CHECK(fcntl(d, F_GETFD));
    int l = open(DIR_ "/link", O_PATH | O_NOFOLLOW);
    show("link O_NOFOLLOW", l);
    flags("link O_PATH|O_NOFOLLOW", l);
    int lf = open(DIR_ "/link", O_PATH);
    show("link followed", lf);
    int dl = open(DIR_ "/dangling", O_PATH | O_NOFOLLOW);
    show("dangling O_NOFOLLOW", dl);
    CHECK(open(DIR_ "/dangling", O_PATH));
    int ff = open(DIR_ "/fifo", O_PATH); /* no wait for a writer */
    show("fifo", ff);
    int dn = open("/dev/null", O_PATH);
    show("/dev/null", dn);
    int bk = open(DIR_ "/nodev", O_PATH);
    show("nodev", bk);
    CHECK(open(DIR_ "/nodev", O_RDONLY));
    CHECK(open(DIR_ "/nothere", O_PATH | O_CREAT, 0644));
    CHECK(open(DIR_ "/file", O_PATH | O_DIRECTORY));
    CHECK(open(DIR_ "/link", O_PATH | O_NOFOLLOW | O_DIRECTORY));
    CHECK(close(open(DIR_ "/file", O_PATH | O_CREAT | O_EXCL, 0644)));
    CHECK(close(open(DIR_, O_PATH | O_TMPFILE | O_RDWR, 0600))); /* O_DIRECTORY is all that is left */
    struct open_how { unsigned long long flags, mode, resolve; } how = {O_PATH | O_RDWR, 0, 0};
    CHECK(syscall(SYS_openat2, AT_FDCWD, DIR_ "/file", &how, sizeof how)); /* openat2 refuses what open ignores */
    how.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY;
    CHECK(close(syscall(SYS_openat2, AT_FDCWD, DIR_, &how, sizeof how)));
    CHECK(stat(DIR_ "/file", &st) == 0 ? st.st_size : -1); /* O_TRUNC did nothing */
    other_user();
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, DIR_, IN_ALL_EVENTS);
    close(open(DIR_ "/file", O_PATH));
    close(open(DIR_, O_PATH));
    CHECK(read(in, buf, sizeof buf)); /* O_PATH opens and closes are no events */
    close(in);

    printf("-- what works\n");
    struct statfs sfs;
    CHECK(fstatfs(f, &sfs) == 0 ? sfs.f_type == 0x01021994 : -1);
    CHECK(fstatfs(l, &sfs) == 0 ? sfs.f_type == 0x01021994 : -1);
    int f2 = dup(f);
    show("dup", f2);
    flags("dup", f2);
    CHECK(dup2(f, 40));
    CHECK(dup3(f, 41, O_CLOEXEC));
    CHECK(fcntl(41, F_GETFD));
    CHECK(fcntl(f, F_DUPFD, 50));
    CHECK(fcntl(f, F_DUPFD_CLOEXEC, 60));
    CHECK(fcntl(60, F_GETFD));
    CHECK(fcntl(f, F_SETFD, FD_CLOEXEC));
    CHECK(fcntl(f, F_GETFD));
    CHECK(close(40));
    CHECK(close(41));
    CHECK(close(50));
    CHECK(close(60));
    CHECK(close(f2));
    CHECK(fstat(f2, &st));
    CHECK(fstatat(d, "file", &st, 0) == 0 ? st.st_size : -1);
    CHECK(fstatat(d, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 ? S_ISLNK(st.st_mode) : -1);
    CHECK(fstatat(f, "", &st, AT_EMPTY_PATH) == 0 ? st.st_size : -1);
    CHECK(fstatat(l, "", &st, AT_EMPTY_PATH) == 0 ? S_ISLNK(st.st_mode) : -1);
    CHECK(fstatat(f, "", &st, 0));
    CHECK(fstatat(f, "x", &st, 0));
    CHECK(faccessat(d, "file", R_OK, 0));
    int r = openat(d, "file", O_RDONLY);
    CHECK(read(r, buf, sizeof buf));
    close(r);
    CHECK(mkdirat(d, "sub", 0755));
    CHECK(unlinkat(d, "sub", AT_REMOVEDIR));
    CHECK(symlinkat("file", d, "link2"));
    CHECK(readlinkat(d, "link2", buf, sizeof buf));
    CHECK(renameat(d, "link2", d, "link3"));
    CHECK(unlinkat(d, "link3", 0));
    CHECK(linkat(f, "", d, "hard", AT_EMPTY_PATH));
    CHECK(stat(DIR_ "/hard", &st) == 0 ? (long)st.st_nlink : -1);
    CHECK(unlinkat(d, "hard", 0));
    CHECK(linkat(l, "", d, "hardlink", AT_EMPTY_PATH));
    CHECK(lstat(DIR_ "/hardlink", &st) == 0 ? S_ISLNK(st.st_mode) : -1);
    CHECK(unlinkat(d, "hardlink", 0));
    CHECK(linkat(d, "", d, "dirlink", AT_EMPTY_PATH));
    CHECK(fchownat(f, "", 1, 2, AT_EMPTY_PATH));
    CHECK(stat(DIR_ "/file", &st) == 0 ? (long)st.st_uid * 10 + st.st_gid : -1);
    CHECK(fchownat(f, "", 0, 0, AT_EMPTY_PATH));
    CHECK(fchownat(l, "", 3, 4, AT_EMPTY_PATH));
    CHECK(lstat(DIR_ "/link", &st) == 0 ? (long)st.st_uid * 10 + st.st_gid : -1);
    CHECK(fchownat(f, "", 0, 0, 0));
    memset(buf, 0, sizeof buf);
    CHECK(readlinkat(l, "", buf, sizeof buf));
    printf("target %s\n", buf);
    CHECK(readlinkat(f, "", buf, sizeof buf));
    CHECK(readlinkat(d, "", buf, sizeof buf));
    CHECK(readlinkat(dl, "", buf, sizeof buf));
    link_of("file", f);
    link_of("dir", d);
    link_of("link", l);
    link_of("fifo", ff);
    link_of("/dev/null", dn);
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f);
    r = open(proc, O_RDONLY);
    CHECK(r >= 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(r, buf, sizeof buf));
    flags("reopened", r);
    close(r);
    r = open(proc, O_PATH);
    show("reopened O_PATH", r);
    flags("reopened O_PATH", r);
    close(r);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", l);
    CHECK(open(proc, O_RDONLY));
    r = open(proc, O_PATH);
    show("link reopened O_PATH", r);
    close(r);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", ff);
    r = open(proc, O_RDWR);
    show("fifo reopened O_RDWR", r);
    close(r);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", dn);
    r = open(proc, O_WRONLY);
    CHECK(write(r, "x", 1));
    close(r);
    int sh = open("/bin/sh", O_PATH);
    pid_t pid = fork();
    if (pid == 0) { /* fexecve of an O_PATH file */
        char *argv[] = {"sh", "-c", "exit 7", NULL}, *envp[] = {NULL};
        syscall(SYS_execveat, sh, "", argv, envp, AT_EMPTY_PATH);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("execveat of an O_PATH /bin/sh: status %#x\n", status);
    close(sh);
    CHECK(fchdir(d));
    CHECK(getcwd(buf, sizeof buf) ? (long)strlen(buf) : -1);
    printf("cwd %s\n", buf);
    CHECK(chdir("/"));

    printf("-- what does not: a file\n");
    refused(f, 0);
    printf("-- a directory\n");
    refused(d, 1);
    printf("-- a symlink\n");
    refused(l, 0);
    printf("-- /dev/null\n");
    refused(dn, 0);
    CHECK(openat(f, "x", O_RDONLY));
    CHECK(openat(l, "x", O_RDONLY));

    CHECK(close(f));
    CHECK(close(d));
    CHECK(close(l));
    CHECK(close(lf));
    CHECK(close(dl));
    CHECK(close(ff));
    CHECK(close(dn));
    CHECK(close(bk));
    CHECK(fstat(f, &st));
    const char *names[] = {"file", "link", "dangling", "fifo", "nodev", "secret", "closed"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(buf, sizeof buf, DIR_ "/%s", names[i]);
        i == 6 ? rmdir(buf) : unlink(buf);
    }
    CHECK(rmdir(DIR_));
    return 0;
}
