/*
 * tests/linux/c/iouring.c - io_uring through the raw calls (uring.h):
 * io_uring_setup's sizes, flags and errors, the params' offsets and the
 * ring's file (close-on-exec, its /proc name), mmap of the rings and its
 * errors, then requests: NOP, READ, WRITE, READV, WRITEV (the file's
 * position with offset -1), FSYNC, OPENAT, STATX, CLOSE, an opcode
 * Linux does not know (EINVAL, and submission stops there), a read of a
 * pipe that waits until a later write (in this process, and from a child
 * while io_uring_enter sleeps), POLL_ADD and POLL_REMOVE, TIMEOUT by time
 * and by count, IOSQE_CQE_SKIP_SUCCESS, poll of the ring's file, SEND,
 * RECV, SENDMSG and RECVMSG on a socket pair (IORING_CQE_F_SOCK_NONEMPTY,
 * MSG_DONTWAIT, EPIPE without SIGPIPE), ACCEPT and CONNECT,
 * io_uring_enter's errors, a signal mask of its own, EXT_ARG's timeout
 * and a signal (EINTR), and io_uring_register's PROBE, BUFFERS
 * (READ_FIXED), EVENTFD and errors.  The output must equal the host
 * Linux's; io_uring disabled there (EPERM, ENOSYS) prints one line, and
 * Persona must then print the same.
 */
#define _GNU_SOURCE
#include "check.h"
#include "uring.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

static struct ring R;

/* Submits n, waits for min: the enter's answer, printed. */
static long go(unsigned n, unsigned min)
{
    long r = uring_enter(R.fd, n, min, min ? ENTER_GETEVENTS : 0, NULL, 0);
    printf("enter(%u, %u) = %ld%s%s\n", n, min, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
    return r;
}

static void setup_cases(void)
{
    struct params p;
    memset(&p, 0, sizeof p);
    CHECK(uring_setup(0, &p));
    CHECK(uring_setup(4, NULL));
    p.resv[1] = 1;
    CHECK(uring_setup(4, &p));
    memset(&p, 0, sizeof p);
    p.flags = 1u << 31;
    CHECK(uring_setup(4, &p));
    memset(&p, 0, sizeof p);
    CHECK(uring_setup(65536, &p));
    p.flags = SETUP_CLAMP;
    int fd = (int)uring_setup(65536, &p);
    printf("clamp: fd>=0 %d sq %u cq %u\n", fd >= 0, p.sq_entries, p.cq_entries);
    close(fd);
    memset(&p, 0, sizeof p);
    p.flags = SETUP_CQSIZE;
    CHECK(uring_setup(4, &p));
    p.cq_entries = 2;
    CHECK(uring_setup(4, &p));
    p.cq_entries = 100;
    fd = (int)uring_setup(3, &p);
    printf("cqsize: sq %u cq %u\n", p.sq_entries, p.cq_entries);
    close(fd);
}

static void params_cases(void)
{
    struct params *p = &R.p;
    printf("entries: sq %u cq %u\n", p->sq_entries, p->cq_entries);
    printf("features: single_mmap %d submit_stable %d rw_cur_pos %d ext_arg %d\n", !!(p->features & FEAT_SINGLE_MMAP),
           !!(p->features & FEAT_SUBMIT_STABLE), !!(p->features & FEAT_RW_CUR_POS), !!(p->features & FEAT_EXT_ARG));
    printf("sq_off: head %u tail %u mask %u entries %u flags %u dropped %u array %u\n", p->sq_head, p->sq_tail,
           p->sq_mask, p->sq_entries_off, p->sq_flags, p->sq_dropped, p->sq_array);
    printf("cq_off: head %u tail %u mask %u entries %u overflow %u cqes %u flags %u\n", p->cq_head, p->cq_tail,
           p->cq_mask, p->cq_entries_off, p->cq_overflow, p->cq_cqes, p->cq_flags);
    printf("ring: mask %u entries %u cq mask %u entries %u\n", *RING_U32(&R, p->sq_mask), *RING_U32(&R, p->sq_entries_off),
           *RING_U32(&R, p->cq_mask), *RING_U32(&R, p->cq_entries_off));
    CHECK(fcntl(R.fd, F_GETFD));
    char path[64], link[64] = "";
    snprintf(path, sizeof path, "/proc/self/fd/%d", R.fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("link: %s\n", link);
    CHECK(mmap(0, 4096, PROT_READ, MAP_SHARED, R.fd, 0x20000000) == MAP_FAILED);
    CHECK(read(R.fd, path, 1));
}

static void file_cases(const char *name)
{
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[32] = "", a[8] = "", b[8] = "";
    struct sqe *s = ring_sqe(&R, OP_NOP, -1, 1);
    ring_sqe(&R, OP_NOP, -1, 2);
    go(2, 2);
    ring_reap(&R, "nop");
    s = ring_sqe(&R, OP_WRITE, fd, 3);
    s->addr = (uintptr_t)"hello world", s->len = 11;
    go(1, 1); /* each alone: Linux may do a batch's requests in any order */
    s = ring_sqe(&R, OP_READ, fd, 4);
    s->addr = (uintptr_t)buf, s->len = 5, s->off = 6;
    go(1, 1);
    ring_reap(&R, "rw");
    printf("read: %s pos %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
    s = ring_sqe(&R, OP_WRITE, fd, 5);
    s->addr = (uintptr_t)"AB", s->len = 2, s->off = -1ull;
    go(1, 1);
    ring_reap(&R, "curpos");
    printf("pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    struct iovec iov[2] = {{a, 3}, {b, 4}};
    s = ring_sqe(&R, OP_READV, fd, 6);
    s->addr = (uintptr_t)iov, s->len = 2, s->off = 0;
    go(1, 1);
    ring_reap(&R, "readv");
    printf("readv: %.3s %.4s\n", a, b);
    struct iovec w[2] = {{"xy", 2}, {"z", 1}};
    s = ring_sqe(&R, OP_WRITEV, fd, 7);
    s->addr = (uintptr_t)w, s->len = 2, s->off = 20;
    ring_sqe(&R, OP_FSYNC, fd, 8);
    s = ring_sqe(&R, OP_READ, 999, 9);
    s->addr = (uintptr_t)buf, s->len = 1;
    go(3, 3);
    ring_reap(&R, "writev");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 ? st.st_size : -1);
    close(fd);
    /* a prep error stops the submission: the third SQE stays queued */
    ring_sqe(&R, OP_NOP, -1, 10);
    s = ring_sqe(&R, OP_FSYNC, fd, 11);
    s->op_flags = 2;
    ring_sqe(&R, OP_NOP, -1, 12);
    go(3, 0);
    ring_reap(&R, "prep");
    go(1, 1);
    ring_reap(&R, "rest");
    s = ring_sqe(&R, 200, -1, 13);
    go(1, 1);
    ring_reap(&R, "badop");
    s = ring_sqe(&R, OP_NOP, -1, 14);
    s->flags = 0x80;
    go(1, 1);
    ring_reap(&R, "badflags");
    s = ring_sqe(&R, OP_OPENAT, AT_FDCWD, 15);
    s->addr = (uintptr_t)name, s->op_flags = O_RDONLY;
    go(1, 1);
    struct cqe *c = (struct cqe *)(R.rings + R.p.cq_cqes) + (*RING_U32(&R, R.p.cq_head) & (R.p.cq_entries - 1));
    int ofd = c->res;
    printf("openat: fd>=0 %d\n", ofd >= 0);
    (*RING_U32(&R, R.p.cq_head))++;
    struct { char pad[40]; uint64_t size; char rest[208]; } stx;
    s = ring_sqe(&R, OP_STATX, AT_FDCWD, 16);
    s->addr = (uintptr_t)name, s->len = 0x200 /* STATX_SIZE */, s->off = (uintptr_t)&stx;
    s = ring_sqe(&R, OP_STATX, AT_FDCWD, 17);
    s->addr = (uintptr_t)"/nonexistent/x", s->len = 0x200, s->off = (uintptr_t)&stx;
    ring_sqe(&R, OP_CLOSE, ofd, 18);
    ring_sqe(&R, OP_CLOSE, ofd, 19);
    ring_sqe(&R, OP_CLOSE, R.fd, 20);
    go(5, 5);
    ring_reap(&R, "files");
    printf("statx size %llu\n", (unsigned long long)stx.size);
    unlink(name);
}

static void pipe_cases(void)
{
    int p[2];
    char buf[16] = "";
    pipe(p);
    struct sqe *s = ring_sqe(&R, OP_READ, p[0], 21);
    s->addr = (uintptr_t)buf, s->len = sizeof buf;
    go(1, 0);
    printf("ready before the write: %u\n", ring_ready(&R));
    write(p[1], "ping", 4);
    go(0, 1);
    ring_reap(&R, "pipe");
    printf("read: %.4s\n", buf);
    pid_t child = fork();
    if (child == 0) {
        usleep(200000);
        write(p[1], "late", 4);
        _exit(0);
    }
    memset(buf, 0, sizeof buf);
    s = ring_sqe(&R, OP_READ, p[0], 22);
    s->addr = (uintptr_t)buf, s->len = sizeof buf;
    go(1, 1);
    ring_reap(&R, "child");
    printf("read: %.4s\n", buf);
    waitpid(child, NULL, 0);
    /* polls */
    s = ring_sqe(&R, OP_POLL_ADD, p[0], 23);
    s->op_flags = POLLIN;
    s = ring_sqe(&R, OP_POLL_ADD, p[1], 24);
    s->op_flags = POLLOUT;
    go(2, 1);
    ring_reap(&R, "poll");
    s = ring_sqe(&R, OP_POLL_REMOVE, -1, 25);
    s->addr = 23;
    s = ring_sqe(&R, OP_POLL_REMOVE, -1, 26);
    s->addr = 1234;
    go(2, 3);
    ring_reap(&R, "remove");
    s = ring_sqe(&R, OP_POLL_ADD, p[0], 27);
    s->op_flags = POLLIN;
    go(1, 0);
    write(p[1], "x", 1);
    go(0, 1);
    ring_reap(&R, "pollin");
    s = ring_sqe(&R, OP_NOP, -1, 29);
    s->flags = 1u << 6; /* IOSQE_CQE_SKIP_SUCCESS */
    ring_sqe(&R, OP_NOP, -1, 30);
    go(2, 1);
    ring_reap(&R, "skip");
    struct pollfd pf = {R.fd, POLLIN | POLLOUT, 0};
    CHECK(poll(&pf, 1, 0));
    printf("ring poll: %#x\n", pf.revents);
    ring_sqe(&R, OP_NOP, -1, 36);
    go(1, 1);
    CHECK(poll(&pf, 1, 0));
    printf("ring poll: %#x\n", pf.revents);
    ring_reap(&R, "polled");
    close(p[0]);
    close(p[1]);
}

static void timeout_cases(void)
{
    struct { int64_t sec, nsec; } ts = {0, 50000000}, longer = {10, 0};
    struct sqe *s = ring_sqe(&R, OP_TIMEOUT, -1, 31);
    s->addr = (uintptr_t)&ts, s->len = 1;
    go(1, 1);
    ring_reap(&R, "timeout");
    s = ring_sqe(&R, OP_TIMEOUT, -1, 32);
    s->addr = (uintptr_t)&longer, s->len = 1, s->off = 2;
    ring_sqe(&R, OP_NOP, -1, 33);
    ring_sqe(&R, OP_NOP, -1, 34);
    go(3, 3);
    ring_reap(&R, "count");
    s = ring_sqe(&R, OP_TIMEOUT, -1, 35);
    s->addr = (uintptr_t)&ts, s->len = 2;
    go(1, 1);
    ring_reap(&R, "badlen");
}

static void sock_cases(const char *name)
{
    int sv[2];
    char buf[8] = "";
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct sqe *s = ring_sqe(&R, OP_RECV, sv[1], 41);
    s->addr = (uintptr_t)buf, s->len = sizeof buf;
    go(1, 0);
    s = ring_sqe(&R, OP_SEND, sv[0], 42);
    s->addr = (uintptr_t)"abc", s->len = 3;
    go(1, 2);
    ring_reap(&R, "sendrecv");
    printf("recv: %.3s\n", buf);
    struct iovec iov = {buf, 4};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    s = ring_sqe(&R, OP_RECVMSG, sv[1], 45);
    s->addr = (uintptr_t)&mh;
    go(1, 0);
    struct iovec out[2] = {{"mes", 3}, {"sage", 4}};
    struct msghdr mo = {.msg_iov = out, .msg_iovlen = 2};
    s = ring_sqe(&R, OP_SENDMSG, sv[0], 46);
    s->addr = (uintptr_t)&mo;
    go(1, 2);
    ring_reap(&R, "msg");
    printf("recvmsg: %.4s flags %d\n", buf, mh.msg_flags);
    s = ring_sqe(&R, OP_RECV, sv[1], 47);
    s->addr = (uintptr_t)buf, s->len = sizeof buf, s->op_flags = MSG_DONTWAIT;
    s = ring_sqe(&R, OP_RECV, sv[1], 48);
    s->addr = (uintptr_t)buf, s->len = sizeof buf, s->op_flags = MSG_DONTWAIT;
    go(2, 2);
    ring_reap(&R, "dontwait");
    close(sv[0]);
    s = ring_sqe(&R, OP_SEND, sv[1], 49);
    s->addr = (uintptr_t)"x", s->len = 1;
    go(1, 1);
    ring_reap(&R, "epipe");
    close(sv[1]);
    int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s.sock", name);
    unlink(a.sun_path);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
    CHECK(listen(l, 4));
    ring_sqe(&R, OP_ACCEPT, l, 43);
    go(1, 0);
    s = ring_sqe(&R, OP_CONNECT, c, 44);
    s->addr = (uintptr_t)&a, s->off = sizeof a;
    go(1, 2);
    struct cqe *q = (struct cqe *)(R.rings + R.p.cq_cqes);
    unsigned h = *RING_U32(&R, R.p.cq_head);
    struct cqe e[2] = {q[h & (R.p.cq_entries - 1)], q[(h + 1) & (R.p.cq_entries - 1)]};
    int first = e[0].user_data == 44; /* the accept's, whichever came first */
    printf("conn: accept %llu ok %d, connect %llu res %d\n", (unsigned long long)e[first].user_data,
           e[first].res >= 0, (unsigned long long)e[!first].user_data, e[!first].res);
    if (e[first].res >= 0)
        close(e[first].res);
    *RING_U32(&R, R.p.cq_head) = h + 2;
    close(l);
    close(c);
    unlink(a.sun_path);
}

static void on_alarm(int sig) { (void)sig; }

static void enter_cases(void)
{
    int p[2];
    pipe(p);
    CHECK(uring_enter(999, 0, 0, 0, NULL, 0));
    CHECK(uring_enter(p[0], 0, 0, 0, NULL, 0));
    CHECK(uring_enter(R.fd, 0, 0, 1u << 30, NULL, 0));
    CHECK(uring_enter(R.fd, 0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, NULL, 8));
    struct { int64_t sec, nsec; } ts = {0, 30000000};
    struct getevents_arg arg = {0, 0, 0, (uintptr_t)&ts};
    CHECK(uring_enter(R.fd, 0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, &arg, sizeof arg));
    CHECK(uring_enter(R.fd, 0, 0, ENTER_GETEVENTS, NULL, 0));
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK(uring_enter(R.fd, 0, 1, ENTER_GETEVENTS, NULL, 0));
    /* a mask of its own that lets a pending signal through: EINTR, then the handler */
    sigset_t block, none;
    sigemptyset(&block), sigemptyset(&none);
    sigaddset(&block, SIGUSR1);
    sigaction(SIGUSR1, &sa, NULL);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    CHECK(uring_enter(R.fd, 0, 1, ENTER_GETEVENTS, &none, 4));
    CHECK(uring_enter(R.fd, 0, 1, ENTER_GETEVENTS, &none, 8));
    sigset_t now;
    printf("usr1 pending %d\n", sigpending(&now) == 0 && sigismember(&now, SIGUSR1)); /* delivered */
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    close(p[0]);
    close(p[1]);
}

static void register_cases(void)
{
    struct { uint8_t last_op, ops_len; uint16_t resv; uint32_t resv2[3]; struct { uint8_t op, resv; uint16_t flags; uint32_t resv2; } ops[64]; } pr;
    memset(&pr, 0, sizeof pr);
    CHECK(uring_register(R.fd, REG_PROBE, &pr, 4));
    printf("probe: ops_len %u\n", pr.ops_len);
    memset(&pr, 0, sizeof pr);
    CHECK(uring_register(R.fd, REG_PROBE, &pr, 48));
    static const int ops[] = {OP_NOP, OP_READV, OP_WRITEV, OP_FSYNC, OP_READ_FIXED, OP_WRITE_FIXED, OP_POLL_ADD,
                              OP_POLL_REMOVE, OP_SENDMSG, OP_RECVMSG, OP_TIMEOUT, OP_ACCEPT, OP_CONNECT, OP_OPENAT,
                              OP_CLOSE, OP_STATX, OP_READ, OP_WRITE, OP_SEND, OP_RECV};
    for (unsigned i = 0; i < sizeof ops / sizeof *ops; i++)
        printf("probe op %d: %u supported %u\n", ops[i], pr.ops[ops[i]].op, pr.ops[ops[i]].flags & 1);
    pr.resv = 1;
    CHECK(uring_register(R.fd, REG_PROBE, &pr, 4));
    CHECK(uring_register(R.fd, 999, NULL, 0));
    CHECK(uring_register(999, REG_PROBE, &pr, 4));
    static char fixed[64];
    struct iovec iov = {fixed, sizeof fixed};
    CHECK(uring_register(R.fd, UNREG_BUFFERS, NULL, 0));
    CHECK(uring_register(R.fd, REG_BUFFERS, &iov, 0));
    CHECK(uring_register(R.fd, REG_BUFFERS, &iov, 1));
    CHECK(uring_register(R.fd, REG_BUFFERS, &iov, 1));
    int p[2];
    pipe(p);
    write(p[1], "fixed!", 6);
    struct sqe *s = ring_sqe(&R, OP_READ_FIXED, p[0], 51);
    s->addr = (uintptr_t)fixed, s->len = 6;
    s = ring_sqe(&R, OP_READ_FIXED, p[0], 52);
    s->addr = (uintptr_t)fixed + 60, s->len = 8;
    go(2, 2);
    ring_reap(&R, "fixed");
    printf("fixed: %.6s\n", fixed);
    s = ring_sqe(&R, OP_READ_FIXED, p[0], 53);
    s->addr = (uintptr_t)fixed, s->len = 1, s->buf_index = 1;
    go(1, 1);
    ring_reap(&R, "fixed index");
    CHECK(uring_register(R.fd, UNREG_BUFFERS, NULL, 0));
    int efd = eventfd(0, EFD_NONBLOCK);
    CHECK(uring_register(R.fd, REG_EVENTFD, &efd, 2));
    CHECK(uring_register(R.fd, REG_EVENTFD, &p[0], 1));
    CHECK(uring_register(R.fd, REG_EVENTFD, &efd, 1));
    CHECK(uring_register(R.fd, REG_EVENTFD, &efd, 1));
    uint64_t v = 0;
    CHECK(read(efd, &v, sizeof v));
    ring_sqe(&R, OP_NOP, -1, 54);
    go(1, 1);
    ring_reap(&R, "eventfd");
    CHECK(read(efd, &v, sizeof v) == 8 && v > 0);
    CHECK(uring_register(R.fd, UNREG_EVENTFD, NULL, 0));
    CHECK(uring_register(R.fd, UNREG_EVENTFD, NULL, 0));
    close(efd);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (ring_init(&R, 8) < 0) {
        printf("io_uring unavailable: %s\n", errno == EPERM || errno == ENOSYS ? "disabled" : strerror(errno));
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "/tmp/iouring-test.%d", (int)getpid());
    setup_cases();
    params_cases();
    file_cases(name);
    pipe_cases();
    timeout_cases();
    sock_cases(name);
    enter_cases();
    register_cases();
    printf("dropped %u overflow %u\n", *RING_U32(&R, R.p.sq_dropped), *RING_U32(&R, R.p.cq_overflow));
    return 0;
}
