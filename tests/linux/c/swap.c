/*
 * tests/linux/c/swap.c - swapon and swapoff refused as Linux refuses
 * them: bad flags, a user without CAP_SYS_ADMIN, a missing file, a
 * directory, a file with no swap signature, a character device; swapoff
 * of what is no active swap.  Nothing is ever made swap, so /proc/swaps
 * is its header alone (the host has none either).  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show(const char *what, long r)
{
    printf("%-36s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    static char zeros[4096 * 2];
    int fd = open("noswap", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    write(fd, zeros, sizeof zeros);
    close(fd);
    mkdir("adir", 0755);
    show("swapon(noswap, bad flags)", swapon("noswap", 0x80000));
    show("swapon(missing)", swapon("missing", 0));
    show("swapon(\"\")", swapon("", 0));
    show("swapon(adir)", swapon("adir", 0));
    show("swapon(/dev/null)", swapon("/dev/null", 0));
    show("swapon(noswap)", swapon("noswap", SWAP_FLAG_PREFER | 5));
    show("swapoff(missing)", swapoff("missing"));
    show("swapoff(adir)", swapoff("adir"));
    show("swapoff(noswap)", swapoff("noswap"));
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("uid 65534: swapon(noswap)", swapon("noswap", 0));
        show("uid 65534: swapon(missing)", swapon("missing", 0));
        show("uid 65534: swapon(bad flags)", swapon("missing", 0x80000));
        show("uid 65534: swapoff(noswap)", swapoff("noswap"));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("user's child: %d\n", WEXITSTATUS(st));
    unlink("noswap");
    char text[512];
    fd = open("/proc/swaps", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    printf("/proc/swaps: %zd bytes\n", n);
    if (n >= 0)
        fwrite(text, 1, (size_t)n, stdout);
    rmdir("adir");
    return 0;
}
