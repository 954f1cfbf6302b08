/*
 * tests/linux/c/scriptname.c - a "#!" script's process is named after the
 * script, not its interpreter, as Linux names it (so pidof and ps find it
 * by the script's name), while /proc/PID/exe is the interpreter.  The
 * output must equal the host Linux's.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
    return 0;
}
