/*
 * tests/linux/c/splice.c - moving data without user buffers: splice
 * (file to pipe, pipe to file, pipe to pipe; offsets or file positions;
 * SPLICE_F_NONBLOCK; a reader that waits for its data), tee (a copy that
 * leaves the data in the first pipe), vmsplice (user memory into a pipe
 * and out of it), sendfile to a pipe, copy_file_range between regular
 * files, and a pipe's capacity (F_GETPIPE_SZ, F_SETPIPE_SZ); sendfile's
 * argument checks (sendfile_checks); the access time copy_file_range,
 * sendfile and splice leave, and the first two's inotify events
 * (moved_times).  Files are
 * in /dev/shm, a tmpfs on the host as on Persona.  The output must equal
 * the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static void drain(int fd, const char *what)
{
    char b[128];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    ssize_t n = read(fd, b, sizeof b);
    fcntl(fd, F_SETFL, fl);
    printf("%s: %zd \"%.*s\"\n", what, n, (int)(n > 0 ? n : 0), b);
}

static void cat(const char *path)
{
    char b[128];
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    printf("%s: %zd \"%.*s\"\n", path, n, (int)(n > 0 ? n : 0), b);
}

/* sendfile's checks in Linux's order: the offset's address, the input,
 * its range (a count past SSIZE_MAX, an end past the largest offset),
 * the output and its range; /dev/null, which has no splice_read. */
static void sendfile_checks(void)
{
    int f = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644), g = open("out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDONLY), p[2];
    pipe(p);
    write(f, "hello world", 11);
    off_t o = 0;
    CHECK(sendfile(-1, f, (off_t *)1, 10));
    CHECK(sendfile(-1, -1, &o, 10));
    CHECK(sendfile(-1, f, &o, (size_t)-1));
    CHECK(sendfile(g, f, &o, (size_t)-1));
    CHECK(sendfile(g, f, &o, (size_t)INT64_MAX + 1));
    CHECK(sendfile(g, f, &o, (size_t)INT64_MAX));
    o = INT64_MAX - 3;
    CHECK(sendfile(g, f, &o, 10));
    CHECK(sendfile(g, f, &o, 0));
    o = INT64_MAX;
    CHECK(sendfile(g, f, &o, 0));
    CHECK(sendfile(g, f, NULL, (size_t)-1));
    CHECK(lseek(f, INT64_MAX - 3, SEEK_SET));
    CHECK(sendfile(g, f, NULL, 10));
    CHECK(lseek(f, 0, SEEK_SET));
    CHECK(lseek(g, INT64_MAX - 3, SEEK_SET));
    o = 0;
    CHECK(sendfile(g, f, &o, 10));
    printf("offset %ld\n", (long)o);
    CHECK(lseek(g, 0, SEEK_SET));
    CHECK(sendfile(g, null, NULL, 10));
    CHECK(sendfile(p[1], null, NULL, 10));
    CHECK(splice(null, NULL, p[1], NULL, 10, 0));
    CHECK(sendfile(g, zero, NULL, 10));
    CHECK(read(f, NULL, (size_t)-1));
    CHECK(pread(f, NULL, (size_t)-1, 0));
    CHECK(write(g, NULL, (size_t)-1));
    close(f), close(g), close(null), close(zero), close(p[0]), close(p[1]);
}

/* Whether each call moved the source's access time and the destination's
 * modification time (both set back to 1000 s first), and its events. */
static void moved_times(void)
{
    int a = open("ta", O_RDWR | O_CREAT | O_TRUNC, 0644), b = open("tb", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];
    pipe(p);
    write(a, "hello world", 11);
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, "ta", IN_ACCESS | IN_MODIFY);
    inotify_add_watch(in, "tb", IN_ACCESS | IN_MODIFY);
    const char *what[] = {"copy_file_range", "sendfile", "splice", "copy_file_range of nothing"};
    for (int i = 0; i < 4; i++) {
        struct timespec old[2] = {{1000, 0}, {1000, 0}};
        futimens(a, old), futimens(b, old);
        loff_t o = i == 3 ? 11 : 0;
        off_t so = 0;
        long r = i == 0 || i == 3 ? copy_file_range(a, &o, b, NULL, 11, 0)
                 : i == 1        ? sendfile(b, a, &so, 11)
                                 : splice(a, &o, p[1], NULL, 11, 0);
        struct stat sa, sb;
        fstat(a, &sa), fstat(b, &sb);
        printf("%s: %ld; source's atime moved %d, destination's mtime moved %d; events:", what[i], r,
               sa.st_atime != 1000, sb.st_mtime != 1000);
        char buf[256] __attribute__((aligned(8)));
        long n = read(in, buf, sizeof buf); /* splice's: Linux 6.1 sends none, later kernels IN_ACCESS */
        n = i == 2 ? 0 : n;
        for (char *e = buf; n > 0 && e < buf + n; e += sizeof(struct inotify_event) + ((struct inotify_event *)e)->len)
            printf(" %d:%#x", ((struct inotify_event *)e)->wd, ((struct inotify_event *)e)->mask);
        printf("\n");
        char sink[16];
        read(p[0], sink, i == 2 ? sizeof sink : 0);
    }
    close(a), close(b), close(in), close(p[0]), close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    char dir[] = "/dev/shm/splice-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    put("src", "0123456789abcdefghij");
    int src = open("src", O_RDONLY), dst = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int p[2], q[2];
    pipe(p), pipe(q);
    loff_t off = 5;

    /* file to pipe: the position, or an offset left as it was */
    CHECK(splice(src, NULL, p[1], NULL, 4, 0));
    CHECK(lseek(src, 0, SEEK_CUR));
    CHECK(splice(src, &off, p[1], NULL, 3, 0));
    CHECK(off);
    CHECK(lseek(src, 0, SEEK_CUR));
    CHECK(splice(src, NULL, p[1], NULL, 0, 0));
    /* pipe to file: at an offset, then at the position */
    off = 2;
    CHECK(splice(p[0], NULL, dst, &off, 5, 0));
    CHECK(off);
    CHECK(splice(p[0], NULL, dst, NULL, 100, 0));
    cat("dst");
    CHECK(splice(p[0], NULL, dst, NULL, 100, SPLICE_F_NONBLOCK));
    /* pipe to pipe, and tee */
    write(p[1], "hello", 5);
    CHECK(tee(p[0], q[1], 3, 0));
    CHECK(splice(p[0], NULL, q[1], NULL, 100, 0));
    drain(q[0], "q after tee and splice");
    drain(p[0], "p");
    /* the errors */
    CHECK(splice(src, NULL, dst, NULL, 5, 0));
    CHECK(splice(p[0], &off, dst, NULL, 5, 0));
    CHECK(splice(src, NULL, p[1], &off, 5, 0));
    CHECK(splice(p[0], NULL, p[1], NULL, 5, 0));
    CHECK(splice(p[0], NULL, q[1], &off, 5, 0));
    CHECK(splice(src, NULL, p[1], NULL, 5, 0x10));
    CHECK(splice(src, NULL, p[0], NULL, 5, 0));
    CHECK(splice(p[1], NULL, dst, NULL, 5, 0));
    CHECK(splice(99, NULL, p[1], NULL, 5, 0));
    off = -1;
    CHECK(splice(src, &off, p[1], NULL, 5, 0));
    CHECK(splice(src, (loff_t *)8, p[1], NULL, 5, 0));
    int app = open("dst", O_WRONLY | O_APPEND);
    write(p[1], "x", 1);
    CHECK(splice(p[0], NULL, app, NULL, 5, 0));
    CHECK(tee(p[0], dst, 5, 0));
    CHECK(tee(p[0], p[1], 5, 0));
    CHECK(tee(p[0], q[1], 5, 0x10));
    drain(p[0], "p");
    CHECK(tee(p[0], q[1], 5, SPLICE_F_NONBLOCK));
    int d = open(".", O_RDONLY | O_DIRECTORY), m;
    CHECK(splice(d, NULL, p[1], NULL, 5, 0));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);

    /* a reader waits for what a child writes */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        write(p[1], "late", 4);
        _exit(0);
    }
    off = 0;
    CHECK(splice(p[0], NULL, dst, &off, 10, 0));
    waitpid(pid, NULL, 0);
    close(p[1]);
    CHECK(splice(p[0], NULL, dst, NULL, 10, 0)); /* no writer left: end of file */
    close(p[0]);
    pipe(p);

    /* vmsplice */
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    CHECK(vmsplice(p[1], iov, 2, 0));
    char a[4] = {0}, b[8] = {0};
    struct iovec out[2] = {{a, 2}, {b, 8}};
    CHECK(vmsplice(p[0], out, 2, 0));
    printf("vmspliced out: %s %s\n", a, b);
    CHECK(vmsplice(p[0], out, 2, SPLICE_F_NONBLOCK));
    CHECK(vmsplice(dst, iov, 2, 0));
    CHECK(vmsplice(p[1], iov, 2, 0x10));
    CHECK(vmsplice(p[1], iov, 2000, 0));

    /* sendfile to a pipe */
    off = 10;
    CHECK(sendfile(p[1], src, &off, 6));
    CHECK(off);
    drain(p[0], "sendfile");
    lseek(src, 0, SEEK_SET);
    CHECK(sendfile(p[1], src, NULL, 3));
    CHECK(lseek(src, 0, SEEK_CUR));
    drain(p[0], "sendfile at the position");

    /* copy_file_range */
    loff_t oi = 10, oo = 0;
    CHECK(ftruncate(dst, 0));
    CHECK(copy_file_range(src, &oi, dst, &oo, 5, 0));
    CHECK(oi);
    CHECK(oo);
    CHECK(lseek(src, 0, SEEK_CUR));
    CHECK(copy_file_range(src, NULL, dst, NULL, 4, 0));
    CHECK(lseek(src, 0, SEEK_CUR));
    CHECK(lseek(dst, 0, SEEK_CUR));
    cat("dst");
    oi = 18;
    CHECK(copy_file_range(src, &oi, dst, NULL, 100, 0));
    oi = 100;
    CHECK(copy_file_range(src, &oi, dst, NULL, 100, 0));
    CHECK(copy_file_range(src, NULL, dst, NULL, 4, 1));
    CHECK(copy_file_range(dst, NULL, src, NULL, 4, 0));
    CHECK(copy_file_range(src, NULL, app, NULL, 4, 0));
    CHECK(copy_file_range(p[0], NULL, dst, NULL, 4, 0));
    CHECK(copy_file_range(src, NULL, p[1], NULL, 4, 0));
    CHECK(copy_file_range(d, NULL, dst, NULL, 4, 0));
    CHECK(copy_file_range(99, NULL, dst, NULL, 4, 0));
    oi = 0, oo = 2;
    CHECK(copy_file_range(dst, &oi, dst, &oo, 4, 0)); /* overlapping */
    oo = 4;
    CHECK(copy_file_range(dst, &oi, dst, &oo, 4, 0));
    cat("dst");
    oi = -1;
    CHECK(copy_file_range(src, &oi, dst, NULL, 4, 0));
    CHECK(copy_file_range(src, (loff_t *)8, dst, NULL, 4, 0));
    int lfs = open("dst", O_RDWR | O_LARGEFILE); /* a 32-bit build's open sets none */
    oi = 100, oo = INT64_MAX; /* nothing to copy, but at the largest offset */
    CHECK(copy_file_range(src, &oi, lfs, &oo, 1, 0));
    oi = 0, oo = INT64_MAX - 4;
    CHECK(copy_file_range(src, &oi, lfs, &oo, 10, 0));
    CHECK(oo == INT64_MAX);
    CHECK(ftruncate(lfs, 8));
    close(lfs);

    /* a pipe's capacity */
    CHECK(fcntl(p[0], F_GETPIPE_SZ));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 5000));
    CHECK(fcntl(p[0], F_GETPIPE_SZ));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 0));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 1048576));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 100000));
    char big[6000];
    memset(big, 'z', sizeof big);
    CHECK(write(p[1], big, sizeof big));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096));
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 8192));
    CHECK(write(p[1], big, 100));
    CHECK(fcntl(dst, F_GETPIPE_SZ));
    CHECK(fcntl(sv[0], F_GETPIPE_SZ));
    /* a writer waits for room that a child makes */
    int w[2];
    pipe(w);
    CHECK(fcntl(w[1], F_SETPIPE_SZ, 4096));
    CHECK(write(w[1], big, 4096));
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        _exit(read(w[0], big, 4096) == 4096 ? 0 : 1);
    }
    off = 0;
    CHECK(splice(src, &off, w[1], NULL, 10, 0));
    waitpid(pid, &m, 0);
    CHECK(m);
    close(w[0]);
    CHECK(splice(src, &off, w[1], NULL, 10, 0));
    char s[32] = "";
    m = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
    CHECK(read(m, s, sizeof s - 1) > 0);
    printf("pipe-max-size: %s", s);
    pid = fork();
    if (pid == 0) {
        setuid(1000);
        CHECK(fcntl(q[1], F_SETPIPE_SZ, 2097152));
        CHECK(fcntl(q[1], F_SETPIPE_SZ, 1048576));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    sendfile_checks();
    moved_times();
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    chdir("/");
    return system(cmd);
}
