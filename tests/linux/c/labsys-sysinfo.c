/* The syscall lab (docs/labs/syscall.md): sysinfo(2) as Linux answers
 * it, in what every machine shares: success, a plausible memory picture
 * in bytes, at least this process, an uptime; EFAULT for a bad address. */
#include "check.h"
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
    struct sysinfo si;
    CHECK(sysinfo(&si));
    printf("mem_unit %u\n", si.mem_unit);
    printf("totalram > 1 MiB: %d\n", si.totalram > (1ul << 20));
    printf("freeram <= totalram: %d\n", si.freeram <= si.totalram);
    printf("freeram > 0: %d\n", si.freeram > 0);
    printf("procs >= 1: %d\n", si.procs >= 1);
    printf("uptime >= 0: %d\n", si.uptime >= 0);
    CHECK(syscall(SYS_sysinfo, (void *)8));
    return 0;
}
