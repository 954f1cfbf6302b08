/*
 * tests/linux/c/ptraceev.c - ptrace's events and group stops: a vfork
 * followed (PTRACE_EVENT_VFORK before the child runs, VFORK_DONE once it
 * has gone), PTRACE_O_TRACEEXIT's stop with the exit status, a signal
 * stopping an attached tracee (its signal stop, then the group stop the
 * tracer lets it make), and a seized one kept stopped by PTRACE_LISTEN
 * until SIGCONT.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int wait_show(const char *what, pid_t pid, int options)
{
    int status = 0;
    pid_t r = waitpid(pid, &status, __WALL | options);
    if (r == 0) {
        printf("%s: nothing to report\n", what);
        return -1;
    }
    if (r != pid)
        printf("%s: waitpid failed: %s\n", what, strerror(errno));
    if (WIFSTOPPED(status))
        printf("%s: stopped by %d, event %d\n", what, WSTOPSIG(status), status >> 16);
    else if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %d\n", what, WTERMSIG(status));
    return status;
}

static void vfork_exit(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        pid_t c = vfork();
        if (c == 0)
            _exit(4);
        int status;
        waitpid(c, &status, 0);
        exit(WEXITSTATUS(status) + 20);
    }
    wait_show("parent", pid, 0);
    CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0,
                 PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACEEXIT));
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("parent", pid, 0);
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    pid_t c = (pid_t)msg;
    printf("event message is the child: %d\n", c > pid);
    wait_show("child", c, 0);
    CHECK(ptrace(PTRACE_CONT, c, 0, 0));
    wait_show("child", c, 0);
    ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
    printf("exit event message: %#lx\n", msg);
    CHECK(ptrace(PTRACE_CONT, c, 0, 0));
    wait_show("child", c, 0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("parent", pid, 0);
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("vfork done message is the child: %d\n", (pid_t)msg == c);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("parent", pid, 0); /* the child's SIGCHLD */
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("event message at a signal: %#lx\n", msg);
    CHECK(ptrace(PTRACE_CONT, pid, 0, SIGCHLD));
    wait_show("parent", pid, 0);
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("exit event message: %#lx\n", msg);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("parent", pid, 0);
}

static pid_t pauser(void)
{
    pid_t pid = fork();
    if (pid == 0)
        for (;;)
            pause();
    return pid;
}

static void group_stops(void)
{
    pid_t pid = pauser();
    CHECK(ptrace(PTRACE_ATTACH, pid, 0, 0));
    wait_show("attached", pid, 0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    /* SIGSTOP, not SIGTSTP: Linux drops a SIGTSTP stop in an orphaned
     * process group, which the test's may be (the harness starts it in
     * a session of its own) */
    CHECK(kill(pid, SIGSTOP));
    wait_show("attached", pid, 0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, SIGSTOP)); /* its group stop now */
    wait_show("attached", pid, 0);
    wait_show("attached", pid, WNOHANG);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    CHECK(kill(pid, SIGTERM));
    wait_show("attached", pid, 0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, SIGTERM));
    wait_show("attached", pid, 0);

    pid = pauser();
    CHECK(ptrace(PTRACE_SEIZE, pid, 0, 0));
    CHECK(kill(pid, SIGSTOP));
    wait_show("seized", pid, 0);
    CHECK(ptrace(PTRACE_LISTEN, pid, 0, 0)); /* not in a group stop */
    CHECK(ptrace(PTRACE_CONT, pid, 0, SIGSTOP));
    wait_show("seized", pid, 0);
    CHECK(ptrace(PTRACE_LISTEN, pid, 0, 0));
    wait_show("seized", pid, WNOHANG);
    CHECK(kill(pid, SIGCONT));
    wait_show("seized", pid, 0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("seized", pid, 0);
    CHECK(ptrace(PTRACE_KILL, pid, 0, 0));
    wait_show("seized", pid, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    vfork_exit();
    group_stops();
    return 0;
}
