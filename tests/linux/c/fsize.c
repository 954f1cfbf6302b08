/*
 * tests/linux/c/fsize.c - RLIMIT_FSIZE, as Linux's generic_write_checks
 * and inode_newsize_ok: a write into a regular file at or past the soft
 * limit is EFBIG with SIGXFSZ, one that crosses it is shortened to end
 * there (no signal); truncate and ftruncate past it, fallocate on a
 * memfd (tmpfs, which checks even with FALLOC_FL_KEEP_SIZE),
 * copy_file_range, sendfile, splice, io_submit's and io_uring's writes
 * the same;
 * pipes and /dev/null are not limited; an ignored SIGXFSZ leaves EFBIG
 * alone, a blocked one stays pending, the default action kills.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aioabi.h"
#include "uring.h"

#define LIMIT 10000
static volatile int seen;
static char buf[20000];

static void on_xfsz(int sig) { seen += sig == SIGXFSZ; }

static void show(const char *what, long r)
{
    printf("%-40s = %ld %s signals %d\n", what, r, r < 0 ? errno_name(errno) : "", seen);
    errno = 0;
}

static const char *errno_efbig(int e) { return e == EFBIG ? "EFBIG" : errno_name(e); }

static void writes(int fd)
{
    show("write 4000 at 0", write(fd, buf, 4000));
    show("pwrite 8000 at 4000 (crosses)", pwrite(fd, buf, 8000, 4000));
    show("write 0 at 10000", pwrite(fd, buf, 0, LIMIT));
    lseek(fd, LIMIT, SEEK_SET);
    show("write 10 at 10000", write(fd, buf, 10));
    show("pwrite 10 at 20000", pwrite(fd, buf, 10, 20000));
    struct iovec v[2] = {{buf, 600}, {buf, 600}};
    lseek(fd, 9000, SEEK_SET);
    show("writev 2x600 at 9000", writev(fd, v, 2));
    show("pwritev 2x600 at 10000", pwritev(fd, v, 2, LIMIT));
    show("pwritev 2x600 at 9500", pwritev(fd, v, 2, 9500));
    show("pwritev 2x600 at 9400 (limit between)", pwritev(fd, v, 2, 9400));
    struct stat st;
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
}

static void sizes(int fd, const char *path)
{
    show("ftruncate 10000", ftruncate(fd, LIMIT));
    show("ftruncate 10001", ftruncate(fd, LIMIT + 1));
    show("truncate 20000", truncate(path, 20000));
    show("ftruncate 5000", ftruncate(fd, 5000));
    show("ftruncate 5000 again", ftruncate(fd, 5000));
    int m = memfd_create("fsize", 0);
    show("fallocate 0..10000", fallocate(m, 0, 0, LIMIT));
    show("fallocate 0..10001", fallocate(m, 0, 0, LIMIT + 1));
    show("fallocate keep 5000..15000", fallocate(m, FALLOC_FL_KEEP_SIZE, 5000, 10000));
    show("fallocate punch 5000..15000", fallocate(m, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 5000, 10000));
    show("memfd write 10 at 10000", pwrite(m, buf, 10, LIMIT));
    close(m);
}

static void copies(int fd)
{
    char src[] = "/tmp/fsize-src-XXXXXX";
    int s = mkstemp(src);
    unlink(src);
    if (write(s, buf, 8000) != 8000)
        return;
    ftruncate(fd, 0);
    loff_t in = 0, out = 9000;
    show("copy_file_range 8000 at 9000", syscall(SYS_copy_file_range, s, &in, fd, &out, 8000, 0));
    printf("offsets %ld %ld\n", (long)in, (long)out);
    in = 0;
    show("copy_file_range 0 at 10000", syscall(SYS_copy_file_range, s, &in, fd, &out, 0, 0));
    show("copy_file_range 8000 at 10000", syscall(SYS_copy_file_range, s, &in, fd, &out, 8000, 0));
    lseek(fd, 9500, SEEK_SET);
    off_t o = 0;
    show("sendfile 8000 at 9500", sendfile(fd, s, &o, 8000));
    printf("sendfile offset %ld\n", (long)o);
    show("sendfile 8000 at 10000", sendfile(fd, s, &o, 8000));
    int p[2];
    pipe(p);
    write(p[1], buf, 2000);
    loff_t at = 9200;
    show("splice 2000 at 9200", splice(p[0], NULL, fd, &at, 2000, 0));
    show("splice 2000 at 10000", splice(p[0], NULL, fd, &at, 2000, 0));
    show("pipe write 12000", write(p[1], buf, 12000));
    close(p[0]), close(p[1]);
    int null = open("/dev/null", O_WRONLY);
    lseek(null, 50000, SEEK_SET);
    show("/dev/null write 20000", write(null, buf, 20000));
    close(null);
    close(s);
}

static void aio(int fd)
{
    aio_context_t ctx = 0;
    if (syscall(SYS_io_setup, 4, &ctx) < 0)
        return;
    struct iocb cb = {.aio_lio_opcode = CMD_PWRITE, .aio_fildes = fd, .aio_buf = (unsigned long)buf,
                      .aio_nbytes = 100, .aio_offset = 9950};
    struct iocb *cbs[1] = {&cb};
    struct io_event ev;
    show("io_submit pwrite 100 at 9950", syscall(SYS_io_submit, ctx, 1, cbs));
    long n = syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL);
    printf("events %ld res %lld\n", n, (long long)ev.res);
    cb.aio_offset = LIMIT;
    show("io_submit pwrite 100 at 10000", syscall(SYS_io_submit, ctx, 1, cbs));
    n = syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL);
    printf("events %ld res %s signals %d\n", n, ev.res < 0 ? errno_efbig((int)-ev.res) : "ok", seen);
    struct iovec v[2] = {{buf, 600}, {buf, 600}};
    cb = (struct iocb){.aio_lio_opcode = CMD_PWRITEV, .aio_fildes = fd, .aio_buf = (unsigned long)v, .aio_nbytes = 2,
                       .aio_offset = 9400};
    show("io_submit pwritev 2x600 at 9400", syscall(SYS_io_submit, ctx, 1, cbs));
    n = syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL);
    printf("events %ld res %lld signals %d\n", n, (long long)ev.res, seen);
    syscall(SYS_io_destroy, ctx);
}

static void uring(int fd)
{
    struct ring r;
    if (ring_init(&r, 4) < 0)
        return;
    struct sqe *s = ring_sqe(&r, OP_WRITE, fd, 1);
    s->addr = (uint64_t)(uintptr_t)buf, s->len = 100, s->off = 9980;
    s = ring_sqe(&r, OP_WRITE, fd, 2);
    s->addr = (uint64_t)(uintptr_t)buf, s->len = 100, s->off = LIMIT;
    printf("io_uring_enter = %ld\n", uring_enter(r.fd, 2, 2, ENTER_GETEVENTS, NULL, 0));
    ring_reap(&r, "io_uring write at 9980, at 10000");
    printf("signals %d\n", seen);
    close(r.fd);
}

static void ignored_blocked_default(int fd)
{
    signal(SIGXFSZ, SIG_IGN);
    show("ignored: write at 10000", pwrite(fd, buf, 10, LIMIT));
    signal(SIGXFSZ, on_xfsz);
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGXFSZ);
    sigprocmask(SIG_BLOCK, &set, NULL);
    show("blocked: write at 10000", pwrite(fd, buf, 10, LIMIT));
    sigpending(&pend);
    printf("pending %d\n", sigismember(&pend, SIGXFSZ));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("after unblock signals %d\n", seen);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit core = {0, 0};
        setrlimit(RLIMIT_CORE, &core);
        signal(SIGXFSZ, SIG_DFL);
        pwrite(fd, buf, 10, LIMIT);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child: signaled %d signal %d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGXFSZ, on_xfsz);
    char path[] = "/tmp/fsize-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    struct rlimit r = {LIMIT, RLIM_INFINITY}, got;
    CHECK(setrlimit(RLIMIT_FSIZE, &r));
    getrlimit(RLIMIT_FSIZE, &got);
    printf("limit %ld\n", (long)got.rlim_cur);
    writes(fd);
    sizes(fd, path);
    copies(fd);
    aio(fd);
    uring(fd);
    int a = open(path, O_WRONLY | O_APPEND);
    ftruncate(fd, LIMIT);
    show("append write at size 10000", write(a, buf, 1));
    close(a);
    ignored_blocked_default(fd);
    unlink(path);
    return 0;
}
