/*
 * tests/linux/c/hostname.c - sethostname and setdomainname, as uname and
 * gethostname then see them, and their errors.  On the host it runs in a
 * UTS namespace of its own (unshare, as root), so that the machine's name
 * is not touched; Persona has no namespaces (unshare is ENOSYS there), and
 * the personality's names are the machine's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

static void show(void)
{
    struct utsname u;
    char host[65];
    CHECK(uname(&u));
    printf("nodename=%s domainname=%s\n", u.nodename, u.domainname);
    CHECK(gethostname(host, sizeof host));
    printf("gethostname=%s\n", host);
}

int main(void)
{
    unshare(CLONE_NEWUTS);
    CHECK(sethostname("box", 3));
    CHECK(setdomainname("example.org", 11));
    show();
    CHECK(sethostname("a-name-of-exactly-sixty-four-characters-is-the-most-linux-takes", 64));
    show();
    CHECK(sethostname("x", 65));
    CHECK(sethostname("x", -1));
    CHECK(setdomainname("x", 65));
    CHECK(sethostname((const char *)16, 4));
    CHECK(sethostname("", 0));
    show();
    int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
    CHECK(write(fd, "from-proc\nx", 11));
    show();
    CHECK(pwrite(fd, "", 0, 0));
    close(fd);
    show();
    CHECK(sethostname("persona", 7));
    CHECK(setdomainname("(none)", 6));
    show();
    return 0;
}
