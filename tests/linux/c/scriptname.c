/*
 * tests/linux/c/scriptname.c - a "#!" script's process is named after the
 * script, not its interpreter, as Linux names it (so pidof and ps find it
 * by the script's name), while /proc/PID/exe is the interpreter; and
 * scripts whose interpreter is a script: five deep run, six are ELOOP.
 * The output must equal the host Linux's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* n scripts, each the interpreter of the one before, the last's /bin/sh. */
static void nested(int n)
{
    char name[32], cwd[256];
    getcwd(cwd, sizeof cwd);
    for (int i = 1; i <= n; i++) {
        snprintf(name, sizeof name, "nest%d", i);
        FILE *f = fopen(name, "w");
        if (i < n)
            fprintf(f, "#!%s/nest%d\n", cwd, i + 1);
        else
            fputs("#!/bin/sh\necho nested ran\n", f);
        fclose(f);
        chmod(name, 0755);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./nest1", "nest1", (char *)NULL);
        printf("%d deep: %s\n", n, errno == ELOOP ? "ELOOP" : strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("%d deep: status %d\n", n, WEXITSTATUS(st));
    for (int i = 1; i <= n; i++) {
        snprintf(name, sizeof name, "nest%d", i);
        unlink(name);
    }
}

int main(void)
{
    FILE *f = fopen("named-script.sh", "w");
    fputs("#!/bin/sh\nread c < /proc/$$/comm\necho \"comm: $c\"\n", f);
    fclose(f);
    chmod("named-script.sh", 0755);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./named-script.sh", "named-script.sh", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("status %d\n", WEXITSTATUS(st));
    unlink("named-script.sh");
    nested(5);
    nested(6);
    return 0;
}
