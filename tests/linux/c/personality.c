/*
 * tests/linux/c/personality.c - personality(2): 0xffffffff asks, any other
 * value is taken whole and the old one returned; a fork child and a thread
 * keep it; execve keeps it but for READ_IMPLIES_EXEC, which a 64-bit
 * program never gets; /proc/<pid>/personality shows it in hex; UNAME26's
 * 2.6 release in uname.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_proc(const char *what)
{
    char b[32] = "";
    int fd = open("/proc/self/personality", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, b, sizeof b - 1) : -1;
    printf("%s: /proc/self/personality %zd \"%.*s\"\n", what, n, (int)(n > 0 ? n - 1 : 0), b);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc > 1) { /* after the execve */
        printf("exec'd: %#x\n", personality(0xffffffff));
        show_proc("exec'd");
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    CHECK(personality(0xffffffff));
    show_proc("start");
    CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE));
    CHECK(personality(0xffffffff) == ADDR_NO_RANDOMIZE);
    show_proc("no randomize");
    CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC | ADDR_LIMIT_3GB | SHORT_INODE));
    CHECK(personality(0xffffffff));
    show_proc("several");
    CHECK(personality(0x12345678)); /* taken whole, as Linux */
    CHECK(personality(0xffffffff));
    CHECK(personality(PER_LINUX32));
    CHECK(personality(0xffffffff));
    CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC));
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: %#x\n", personality(0xffffffff));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    CHECK(WEXITSTATUS(st));
    CHECK(personality(PER_LINUX));
    CHECK(personality(0xffffffff));

    /* UNAME26: uname says 2.6.(60 + the minor version) and the rest of
     * the release, its field's tail zeros (the numbers differ by kernel) */
    struct utsname u, plain;
    uname(&plain);
    CHECK(personality(PER_LINUX | UNAME26));
    memset(&u, 0xaa, sizeof u);
    CHECK(uname(&u));
    int zeros = 1, minor = atoi(strchr(plain.release, '.') + 1);
    for (size_t i = strlen(u.release); i < sizeof u.release; i++)
        zeros &= u.release[i] == 0;
    char want[80];
    snprintf(want, sizeof want, "2.6.%d%s", 60 + minor, strchr(plain.release, '-') ? strchr(plain.release, '-') : "");
    printf("UNAME26: release as Linux makes it %d, the field's tail zeros %d\n", strcmp(u.release, want) == 0, zeros);
    CHECK(personality(PER_LINUX));
    CHECK(uname(&u) + strcmp(u.release, plain.release));
    return 0;
}
