/*
 * tests/linux/c/mempolicy.c - the NUMA memory policy calls on a machine
 * with one node, 0: get_mempolicy (the default, a policy set, the nodes
 * allowed, the node of a page, MPOL_F_ADDR on an area mbind gave a policy
 * of its own), set_mempolicy (every mode, the mode flags, nodemasks and
 * their rules: maxnode, bits past the nodes there are, empty masks),
 * mbind (ranges, holes, flags), migrate_pages and move_pages (nothing
 * to move: every page is on node 0; the status of each page) and
 * set_mempolicy_home_node, with Linux's errors.  The output must equal
 * the host Linux's when it has one node.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#define AREA ((char *)0x40000000000ul)
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif
enum { DEFAULT, PREFERRED, BIND, INTERLEAVE, LOCAL, PREFERRED_MANY, WEIGHTED_INTERLEAVE };
#define F_STATIC (1 << 15)
#define F_RELATIVE (1 << 14)
#define F_BALANCING (1 << 13)
#define F_NODE 1
#define F_ADDR 2
#define F_MEMS_ALLOWED 4
#define MF_STRICT 1
#define MF_MOVE 2
#define MF_MOVE_ALL 4

static unsigned long mask[32];

static long get(int *mode, unsigned long *nodes, unsigned long maxnode, void *addr, unsigned long flags)
{
    return syscall(SYS_get_mempolicy, mode, nodes, maxnode, addr, flags);
}
static long set(int mode, const unsigned long *nodes, unsigned long maxnode)
{
    return syscall(SYS_set_mempolicy, mode, nodes, maxnode);
}
static long mbind_(void *a, unsigned long len, int mode, const unsigned long *nodes, unsigned long maxnode,
                   unsigned flags)
{
    return syscall(SYS_mbind, a, len, mode, nodes, maxnode, flags);
}

/* The policy now: mode and the first word of the nodemask. */
static void show(const char *what, void *addr, unsigned long flags)
{
    int mode = -1;
    unsigned long nodes[2] = {~0ul, ~0ul};
    long r = get(&mode, nodes, 128, addr, flags);
    if (r < 0)
        printf("%-40s %s\n", what, errno_name(errno));
    else
        printf("%-40s mode %#x nodes %#lx %#lx\n", what, mode, nodes[0], nodes[1]);
}

static void getting(void)
{
    int mode = -1;
    unsigned long nodes[3] = {~0ul, ~0ul, ~0ul};
    show("default", NULL, 0);
    show("mems allowed", NULL, F_MEMS_ALLOWED);
    CHECK(get(&mode, NULL, 0, NULL, 0));
    CHECK(get(NULL, NULL, 0, NULL, 0));
    CHECK(get(&mode, nodes, 0, NULL, F_MEMS_ALLOWED));
    CHECK(get(&mode, nodes, 1, NULL, F_MEMS_ALLOWED));
    printf("maxnode 1: %#lx\n", nodes[0]);
    CHECK(get(&mode, nodes, 2, NULL, F_MEMS_ALLOWED));
    printf("maxnode 2: %#lx %#lx\n", nodes[0], nodes[1]);
    nodes[0] = nodes[1] = nodes[2] = ~0ul;
    CHECK(get(&mode, nodes, 130, NULL, F_MEMS_ALLOWED));
    printf("maxnode 130: %#lx %#lx %#lx\n", nodes[0], nodes[1], nodes[2]);
    static unsigned long page[P / 8 + 1];
    memset(page, 0xff, sizeof page);
    CHECK(get(&mode, page, 4097 * 8, NULL, F_MEMS_ALLOWED));
    CHECK(get(&mode, page, 4096 * 8 + 1, NULL, F_MEMS_ALLOWED));
    printf("maxnode 32769: %#lx %#lx %#lx %#lx\n", page[0], page[1], page[511], page[512]);
    CHECK(get(&mode, NULL, 0, NULL, 8));
    CHECK(get(&mode, NULL, 0, NULL, F_MEMS_ALLOWED | F_NODE));
    CHECK(get(&mode, NULL, 0, NULL, F_NODE));
    CHECK(get(&mode, NULL, 0, AREA, 0));
    CHECK(get((int *)16, NULL, 0, NULL, 0));
    CHECK(get(&mode, (unsigned long *)16, 64, NULL, 0));
    mode = -1;
    AREA[0] = 1;
    CHECK(get(&mode, NULL, 0, AREA, F_NODE | F_ADDR));
    printf("node of a page: %d\n", mode);
    CHECK(get(&mode, NULL, 0, AREA + P, F_NODE | F_ADDR));
    printf("node of an untouched page: %d\n", mode);
    CHECK(get(&mode, NULL, 0, AREA + 3 * P, F_NODE | F_ADDR));
    CHECK(get(&mode, NULL, 0, AREA + 8 * P, F_ADDR));
    show("area", AREA, F_ADDR);
}

static void setting(void)
{
    mask[0] = 1;
    CHECK(set(BIND, mask, 2));
    show("bind", NULL, 0);
    CHECK(set(INTERLEAVE, mask, 2));
    show("interleave", NULL, 0);
    int node = -1;
    CHECK(get(&node, NULL, 0, NULL, F_NODE));
    printf("next interleave node: %d\n", node);
    /* each mode in turn, with its nodes or without */
    static const struct { int mode; bool nodes; const char *name; } modes[] = {
        {PREFERRED, true, "preferred"}, {PREFERRED, false, "preferred, no nodes"},
        {PREFERRED_MANY, true, "preferred many"}, {LOCAL, false, "local"},
        {WEIGHTED_INTERLEAVE, true, "weighted interleave"}, {DEFAULT, false, "default"}};
    for (unsigned i = 0; i < sizeof modes / sizeof *modes; i++) {
        long r = set(modes[i].mode, modes[i].nodes ? mask : NULL, modes[i].nodes ? 2 : 0);
        printf("set %-36s %ld%s%s\n", modes[i].name, r, r < 0 ? " " : "", r < 0 ? errno_name(errno) : "");
        show(modes[i].name, NULL, 0);
    }
    CHECK(get(&node, NULL, 0, NULL, F_NODE));
    /* flags */
    mask[0] = 0x21;
    CHECK(set(BIND | F_STATIC, mask, 64));
    show("bind static", NULL, 0);
    mask[0] = 0x20;
    CHECK(set(BIND | F_STATIC, mask, 64));
    CHECK(set(BIND | F_RELATIVE, mask, 64));
    show("bind relative", NULL, 0);
    CHECK(set(BIND | F_STATIC | F_RELATIVE, mask, 64));
    CHECK(set(BIND | F_BALANCING, mask, 64));
    mask[0] = 1;
    CHECK(set(BIND | F_BALANCING, mask, 64));
    show("bind balancing", NULL, 0);
    CHECK(set(INTERLEAVE | F_BALANCING, mask, 64));
    CHECK(set(PREFERRED | F_STATIC, NULL, 0));
    CHECK(set(LOCAL | F_STATIC, NULL, 0));
    CHECK(set(PREFERRED | F_RELATIVE, mask, 64));
    show("preferred relative", NULL, 0);
    CHECK(set(BIND | 0x1000, mask, 64));
    /* errors */
    CHECK(set(7, mask, 64));
    CHECK(set(-1, mask, 64));
    CHECK(set(DEFAULT, mask, 64));
    CHECK(set(LOCAL, mask, 64));
    CHECK(set(BIND, NULL, 0));
    CHECK(set(BIND, mask, 1));
    CHECK(set(BIND, mask, 0));
    mask[0] = 2;
    CHECK(set(BIND, mask, 64));
    CHECK(set(INTERLEAVE, mask, 64));
    CHECK(set(PREFERRED, mask, 64));
    mask[0] = 1;
    CHECK(set(BIND, mask, 4096 * 8 + 2));
    mask[16] = 1; /* node 1024: past MAX_NUMNODES */
    CHECK(set(BIND, mask, 1100));
    CHECK(set(BIND, mask, 1024));
    mask[16] = 0;
    CHECK(set(BIND, mask, 1100));
    CHECK(set(BIND, (unsigned long *)16, 64));
    CHECK(set(DEFAULT, NULL, 0));
    show("default again", NULL, 0);
}

static void binding(void)
{
    mask[0] = 1;
    CHECK(mbind_(AREA, 2 * P, BIND, mask, 64, 0));
    show("area", AREA, F_ADDR);
    show("area + 1 page", AREA + P, F_ADDR);
    show("area + 2 pages", AREA + 2 * P, F_ADDR);
    show("task", NULL, 0);
    CHECK(mbind_(AREA + P, P, INTERLEAVE, mask, 64, MF_STRICT | MF_MOVE));
    show("area + 1 page", AREA + P, F_ADDR);
    CHECK(mbind_(AREA, 3 * P, PREFERRED, NULL, 0, 0));
    show("preferred, no nodes", AREA, F_ADDR);
    CHECK(mbind_(AREA, 4 * P, DEFAULT, NULL, 0, MF_STRICT));
    show("area", AREA, F_ADDR);
    CHECK(mbind_(AREA + 8 * P, P, BIND, mask, 64, 0));
    CHECK(mbind_(AREA + 2 * P, 4 * P, BIND, mask, 64, 0));
    CHECK(mbind_(AREA + 2 * P, 4 * P, DEFAULT, NULL, 0, 0));
    CHECK(mbind_(AREA + 8 * P, P, DEFAULT, NULL, 0, 0));
    CHECK(mbind_(AREA + 1, P, BIND, mask, 64, 0));
    CHECK(mbind_(AREA, 0, BIND, mask, 64, 0));
    CHECK(mbind_(AREA, 0, 99, mask, 64, 0));
    CHECK(mbind_(AREA, -P, BIND, mask, 64, 0));
    CHECK(mbind_(AREA, P, BIND, mask, 64, 8));
    CHECK(mbind_(AREA, P, BIND, mask, 64, MF_MOVE_ALL));
    CHECK(mbind_(AREA, P, BIND, NULL, 0, 0));
    CHECK(mbind_(AREA, P, 9, mask, 64, 0));
    mask[0] = 2;
    CHECK(mbind_(AREA, P, BIND, mask, 64, 0));
    mask[0] = 1;
    CHECK(mbind_(AREA, P, BIND | F_STATIC, mask, 64, MF_STRICT));
    show("static", AREA, F_ADDR);
    CHECK(mbind_(AREA, P, DEFAULT, NULL, 0, 0));
    /* set_mempolicy_home_node: only on BIND and PREFERRED_MANY areas */
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, P, 0, 0));
    CHECK(mbind_(AREA, P, BIND, mask, 64, 0));
    CHECK(mbind_(AREA + P, P, PREFERRED_MANY, mask, 64, 0));
    CHECK(mbind_(AREA + 2 * P, P, INTERLEAVE, mask, 64, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, 2 * P, 0, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, 3 * P, 0, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, P, 1, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, P, 0, 1));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA + 1, P, 0, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, 0, 0, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA, -P, 0, 0));
    CHECK(syscall(SYS_set_mempolicy_home_node, AREA + 8 * P, P, 0, 0));
    show("home node", AREA, F_ADDR);
    CHECK(mbind_(AREA, 4 * P, DEFAULT, NULL, 0, 0));
}

static void moving(void)
{
    unsigned long old = 1, new = 1, two = 2;
    CHECK(syscall(SYS_migrate_pages, 0, 64, &old, &new));
    CHECK(syscall(SYS_migrate_pages, getpid(), 64, &old, &new));
    CHECK(syscall(SYS_migrate_pages, 0, 64, &old, &two));
    CHECK(syscall(SYS_migrate_pages, 0, 64, &two, &new));
    CHECK(syscall(SYS_migrate_pages, 0, 64, NULL, &new));
    CHECK(syscall(SYS_migrate_pages, 0, 0, &old, &new));
    CHECK(syscall(SYS_migrate_pages, 0x3ffffff, 64, &old, &new));
    CHECK(syscall(SYS_migrate_pages, 0, 64, (unsigned long *)16, &new));

    void *pages[5] = {AREA, AREA + 2 * P, AREA + 3 * P, AREA + 8 * P, AREA + 1};
    int nodes[5] = {0, 0, 0, 0, 0}, status[5];
    memset(status, 0x55, sizeof status);
    CHECK(syscall(SYS_move_pages, 0, 5, pages, NULL, status, 0));
    printf("status: %d %d %d %d %d\n", status[0], status[1], status[2], status[3], status[4]);
    memset(status, 0x55, sizeof status);
    CHECK(syscall(SYS_move_pages, 0, 5, pages, nodes, status, MF_MOVE));
    printf("status: %d %d %d %d %d\n", status[0], status[1], status[2], status[3], status[4]);
    nodes[1] = 1;
    CHECK(syscall(SYS_move_pages, 0, 5, pages, nodes, status, 0));
    nodes[1] = -1;
    CHECK(syscall(SYS_move_pages, 0, 5, pages, nodes, status, 0));
    nodes[1] = 0;
    CHECK(syscall(SYS_move_pages, 0, 0, pages, nodes, status, 0));
    CHECK(syscall(SYS_move_pages, 0, 5, pages, nodes, status, MF_STRICT));
    CHECK(syscall(SYS_move_pages, 0, 5, pages, nodes, status, MF_MOVE_ALL));
    CHECK(syscall(SYS_move_pages, 0x3ffffff, 5, pages, nodes, status, 0));
    CHECK(syscall(SYS_move_pages, 0, 5, (void **)16, NULL, status, 0));
    CHECK(syscall(SYS_move_pages, 0, 5, pages, NULL, (int *)16, 0));
    CHECK(syscall(SYS_move_pages, 0, 5, pages, (int *)16, status, 0));

    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) < 0)
            _exit(2);
        CHECK(syscall(SYS_migrate_pages, getppid(), 64, &old, &new));
        CHECK(syscall(SYS_move_pages, getppid(), 1, pages, NULL, status, 0));
        CHECK(syscall(SYS_move_pages, 0, 1, pages, NULL, status, MF_MOVE_ALL));
        CHECK(syscall(SYS_move_pages, 0, 1, pages, NULL, status, 0));
        printf("status: %d\n", status[0]);
        mask[0] = 1;
        CHECK(mbind_(AREA, P, BIND, mask, 64, MF_MOVE_ALL));
        CHECK(set(BIND, mask, 64));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mmap(AREA, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return 1;
    mprotect(AREA + 3 * P, P, PROT_NONE);
    getting();
    setting();
    binding();
    moving();
    return 0;
}
