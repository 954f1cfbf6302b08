/*
 * tests/linux/c/acct.c - acct(2): its errors (EPERM without
 * CAP_SYS_PACCT, the path's, EISDIR, EACCES for a file that is not
 * regular, EFAULT), and the struct acct_v3 records of three children
 * (one exits 3, one is killed by SIGTERM, one execs itself and exits 0):
 * flags, version, exit code, ids, name; accounting off again writes
 * nothing more.  Times and sizes vary and are only checked for sense.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct acct_v3 {
    uint8_t ac_flag, ac_version;
    uint16_t ac_tty;
    uint32_t ac_exitcode, ac_uid, ac_gid, ac_pid, ac_ppid, ac_btime;
    float ac_etime;
    uint16_t ac_utime, ac_stime, ac_mem, ac_io, ac_rw, ac_minflt, ac_majflt, ac_swaps;
    char ac_comm[16];
};

static const char *file = "/tmp/acct-test.log";

static void child(const char *name, int how, const char *self)
{
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NAME, name);
        if (how == 1)
            raise(SIGTERM);
        if (how == 2)
            execl(self, "acct-exec", "exec", (char *)NULL);
        _exit(3);
    }
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 0; /* the exec'd child */
    setvbuf(stdout, NULL, _IONBF, 0);
    unlink(file);
    close(open(file, O_CREAT | O_WRONLY, 0600));
    mkdir("/tmp/acct-dir", 0755);
    CHECK(acct("/nonexistent/x"));
    CHECK(acct("/tmp/acct-dir"));
    CHECK(acct("/dev/null"));
    CHECK(acct((char *)8));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
        CHECK(acct(file));
        CHECK(acct(NULL));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    time_t start = time(NULL);
    CHECK(acct(file));
    child("exits", 0, argv[0]);
    child("killed", 1, argv[0]);
    child("execs", 2, argv[0]);
    CHECK(acct(NULL));
    CHECK(acct(NULL));
    child("after", 0, argv[0]);
    struct acct_v3 a;
    int fd = open(file, O_RDONLY);
    while (read(fd, &a, sizeof a) == sizeof a)
        if (a.ac_ppid == (uint32_t)getpid()) /* the machine's other processes are counted too */
            printf("%.16s: flag %#x version %d exit %#x uid %u gid %u btime ok %d etime ok %d\n", a.ac_comm, a.ac_flag,
                   a.ac_version, a.ac_exitcode, a.ac_uid, a.ac_gid,
                   a.ac_btime + 2 >= (uint32_t)start && a.ac_btime <= (uint32_t)time(NULL),
                   a.ac_etime >= 0 && a.ac_etime < 1000);
    close(fd);
    unlink(file);
    rmdir("/tmp/acct-dir");
    return 0;
}
