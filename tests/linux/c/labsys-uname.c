/* The syscall lab (docs/labs/syscall.md): uname(2)'s fields that every
 * x86-64 Linux shares, the system and the machine, and busybox uname -m;
 * EFAULT for a bad address. */
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

int main(void)
{
    struct utsname u;
    CHECK(uname(&u));
    printf("sysname '%s'\nmachine '%s'\n", u.sysname, u.machine);
    CHECK(syscall(SYS_uname, (void *)8));
    fflush(stdout);
    return system("busybox uname -m") != 0;
}
