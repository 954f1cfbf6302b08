/*
 * tests/linux/c/pidnsreboot.c - reboot(2) in a pid namespace (root; as
 * Linux 6.1's reboot_pid_ns): it ends the namespace, not the machine;
 * its init is killed and its parent sees it killed by SIGINT for power
 * off and halt, by SIGHUP for restart, whether the init or another of
 * its processes called it; Ctrl-Alt-Del's commands are EINVAL there, a
 * bad magic number EINVAL, a caller without CAP_SYS_BOOT EPERM.  Every
 * call is made only from a process that is sure to be in a pid
 * namespace of the test's own (pid 1 or 2 there, and another namespace
 * than the test's), so that the host is never asked to reboot.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_RESTART 0x01234567
#define CMD_HALT 0xcdef0123
#define CMD_CAD_OFF 0x00000000
#define CMD_POWER_OFF 0x4321fedc

static ino_t outer;

static ino_t pidns_ino(void)
{
    struct stat st;
    return stat("/proc/self/ns/pid", &st) < 0 ? 0 : st.st_ino;
}

/* reboot(2), from a process surely in a namespace of the test's own. */
static long reboot_here(unsigned magic2, unsigned cmd)
{
    ino_t here = pidns_ino();
    if (!outer || !here || here == outer || getpid() > 2) {
        printf("not in the test's own pid namespace: no reboot\n");
        _exit(99);
    }
    return syscall(SYS_reboot, MAGIC1, magic2, cmd, NULL);
}

static const char *end_of(int st)
{
    static char text[32];
    if (WIFSIGNALED(st))
        snprintf(text, sizeof text, "killed by %s", WTERMSIG(st) == SIGINT ? "SIGINT" : WTERMSIG(st) == SIGHUP ? "SIGHUP" : "another");
    else
        snprintf(text, sizeof text, "exit %d", WEXITSTATUS(st));
    return text;
}

/* A namespace whose init (in_init) or its first child runs body; the
 * init's end as the parent sees it. */
static void namespace(const char *what, void (*body)(void), bool in_init)
{
    pid_t init = fork();
    if (init == 0) {
        if (unshare(CLONE_NEWPID) < 0)
            _exit(98);
        pid_t i = fork();
        if (i == 0) {
            pid_t k = in_init ? 0 : fork();
            if (k == 0) {
                body();
                _exit(0);
            }
            int st;
            waitpid(k, &st, 0);
            _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 97);
        }
        int st;
        waitpid(i, &st, 0);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 96);
    }
    int st;
    waitpid(init, &st, 0);
    printf("%-32s the init's parent: %s\n", what, end_of(st));
}

static void call(unsigned magic2, unsigned cmd)
{
    long r = reboot_here(magic2, cmd);
    printf("reboot returned %ld %s\n", r, r < 0 ? errno_name(errno) : "");
}

static void power_off(void) { call(MAGIC2, CMD_POWER_OFF); }
static void restart(void) { call(MAGIC2, CMD_RESTART); }
static void halt(void) { call(MAGIC2, CMD_HALT); }
static void cad_off(void) { call(MAGIC2, CMD_CAD_OFF); }
static void bad_magic(void) { call(12345, CMD_POWER_OFF); }
static void not_root(void)
{
    if (setresuid(1000, 1000, 1000) < 0)
        _exit(95);
    call(MAGIC2, CMD_POWER_OFF);
}

int main(void)
{
    if (ns_test_begin(NULL, 0, NULL))
        return 0;
    outer = pidns_ino();
    namespace("power off from pid 2", power_off, false);
    namespace("restart from pid 2", restart, false);
    namespace("halt from the init", halt, true);
    namespace("Ctrl-Alt-Del off from pid 2", cad_off, false);
    namespace("a bad magic number", bad_magic, false);
    namespace("not root", not_root, false);
    printf("the test's own pid namespace: still %d\n", pidns_ino() == outer);
    return 0;
}
