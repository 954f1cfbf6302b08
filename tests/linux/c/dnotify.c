/*
 * tests/linux/c/dnotify.c - fcntl(F_NOTIFY): directory notifications.  A
 * directory's descriptor asks for DN_CREATE, DN_DELETE, DN_RENAME,
 * DN_MODIFY, DN_ACCESS, DN_ATTRIB, once or with DN_MULTISHOT; an event
 * in the directory sends SIGIO (SI_KERNEL's) to the owner, or F_SETSIG's
 * signal with POLL_MSG, si_band and si_fd.  Successive calls add events;
 * a mask of 0 or closing the descriptor removes them.  Errors: a file
 * that is no directory (ENOTDIR), a bad or O_PATH descriptor (EBADF).
 */
#define _GNU_SOURCE
#include "check.h"
#include "sigtake.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static sigset_t set;

static void take(const char *what, int fd) { take_signals(&set, what, fd, 100000000, TAKE_ALL, false); }

static void errors(void)
{
    int f = open("dn/file", O_CREAT | O_RDWR, 0644);
    CHECK(fcntl(f, F_NOTIFY, DN_CREATE));
    CHECK(fcntl(f, F_NOTIFY, 0));
    close(f);
    CHECK(fcntl(99, F_NOTIFY, DN_CREATE));
    int o = open("dn", O_PATH);
    CHECK(fcntl(o, F_NOTIFY, DN_CREATE));
    close(o);
    unlink("dn/file");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    mkdir("dn", 0755);
    errors();
    int d = open("dn", O_RDONLY | O_DIRECTORY);
    printf("owner before: %d\n", fcntl(d, F_GETOWN));
    CHECK(fcntl(d, F_NOTIFY, DN_CREATE));
    printf("owner is self: %d\n", fcntl(d, F_GETOWN) == getpid());
    close(open("dn/a", O_CREAT | O_WRONLY, 0644));
    take("create, once", d);
    close(open("dn/b", O_CREAT | O_WRONLY, 0644));
    take("create again", d);
    fcntl(d, F_SETSIG, SIGRTMIN + 1);
    CHECK(fcntl(d, F_NOTIFY, DN_DELETE | DN_MULTISHOT));
    unlink("dn/b");
    take("delete", d);
    close(open("dn/b", O_CREAT | O_WRONLY, 0644));
    take("create, not asked", d);
    CHECK(fcntl(d, F_NOTIFY, DN_CREATE | DN_RENAME));
    close(open("dn/c", O_CREAT | O_WRONLY, 0644));
    take("create, added", d);
    rename("dn/c", "dn/d");
    take("rename", d);
    rename("dn/d", "e");
    take("rename out", d);
    unlink("e");
    CHECK(fcntl(d, F_NOTIFY, DN_MODIFY | DN_ACCESS | DN_ATTRIB | DN_MULTISHOT));
    int f = open("dn/a", O_RDWR);
    write(f, "x", 1);
    take("modify", d);
    pread(f, (char[4]){0}, 1, 0);
    take("access", d);
    fchmod(f, 0600);
    take("attrib", d);
    close(f);
    chmod("dn", 0700);
    take("attrib of the directory", d);
    DIR *l = opendir("dn");
    while (readdir(l))
        ;
    closedir(l);
    take("listing", d);
    CHECK(fcntl(d, F_NOTIFY, 0));
    unlink("dn/a");
    take("removed", d);
    CHECK(fcntl(d, F_NOTIFY, DN_DELETE | DN_MULTISHOT));
    int d2 = dup(d);
    close(d);
    unlink("dn/b");
    take("closed", d2);
    close(d2);
    rmdir("dn");
    return 0;
}
