/* The syscall lab (docs/labs/syscall.md): getcpu(2) as Linux answers it,
 * through the system call itself (not the vDSO): a CPU this machine has,
 * node 0, either pointer may be NULL, EFAULT for a bad one. */
#include "check.h"
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    unsigned cpu = 12345, node = 12345;
    CHECK(syscall(SYS_getcpu, &cpu, &node, NULL));
    printf("cpu is online: %d\n", cpu < (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
    printf("node %u\n", node);
    CHECK(syscall(SYS_getcpu, NULL, NULL, NULL));
    CHECK(syscall(SYS_getcpu, &cpu, NULL, NULL));
    CHECK(syscall(SYS_getcpu, (void *)8, NULL, NULL));
    CHECK(syscall(SYS_getcpu, NULL, (void *)8, NULL));
    return 0;
}
