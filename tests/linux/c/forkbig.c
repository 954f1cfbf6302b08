/*
 * tests/linux/c/forkbig.c - fork of a large process: 80 MiB written, then
 * three children alive at once, each writing its own part, and a
 * grandchild.  Each sees the data as it was at its fork and its own
 * writes only; the parent sees none of theirs.  Copying the 80 MiB at
 * each fork would need more memory than Persona's test machine has: the
 * copies must wait for writes (copy-on-write, the cow lab,
 * docs/labs/cow.md).  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (80ul << 20)
#define PAGES (SIZE / 4096)
#define KIDS 3

static uint64_t *mem;

static uint64_t word(unsigned long page, unsigned tag) { return page * 2654435761u + tag; }

static void fill(unsigned long from, unsigned long to, unsigned tag)
{
    for (unsigned long p = from; p < to; p++)
        mem[p * 512] = word(p, tag), mem[p * 512 + 511] = ~word(p, tag);
}

/* Pages in [from, to) whose words are not tag's. */
static unsigned long wrong(unsigned long from, unsigned long to, unsigned tag)
{
    unsigned long bad = 0;
    for (unsigned long p = from; p < to; p++)
        bad += mem[p * 512] != word(p, tag) || mem[p * 512 + 511] != ~word(p, tag);
    return bad;
}

static int child(int k, int go)
{
    unsigned long part = PAGES / KIDS, from = k * part, to = from + part;
    if (wrong(0, PAGES, 1))
        return 10;
    fill(from, to, 100 + k);
    if (wrong(from, to, 100 + k) || wrong(0, from, 1) || wrong(to, PAGES, 1))
        return 11;
    if (k == 0) { /* a grandchild, of a child that has written */
        pid_t g = fork();
        if (g == 0) {
            fill(0, 16, 200);
            _exit(wrong(0, 16, 200) || wrong(16, part, 100) || wrong(part, PAGES, 1) ? 12 : 0);
        }
        int st = 0;
        waitpid(g, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) || wrong(from, to, 100))
            return 13;
    }
    char c;
    if (read(go, &c, 1) != 1) /* stay alive until every child has written */
        return 14;
    return wrong(from, to, 100 + k) ? 15 : 0;
}

int main(void)
{
    mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mem != MAP_FAILED);
    fill(0, PAGES, 1);
    int go[2];
    CHECK(pipe(go));
    pid_t kids[KIDS];
    for (int k = 0; k < KIDS; k++) {
        kids[k] = fork();
        if (kids[k] == 0)
            _exit(child(k, go[0]));
        printf("child %d forked: %s\n", k, kids[k] > 0 ? "yes" : strerror(errno));
    }
    fill(PAGES - 8, PAGES, 2); /* the parent writes too, while they run */
    CHECK(write(go[1], "xxx", KIDS));
    for (int k = 0; k < KIDS; k++) {
        int st = 0;
        if (kids[k] > 0)
            waitpid(kids[k], &st, 0);
        printf("child %d: %s %d\n", k, WIFEXITED(st) ? "exit" : "signal",
               WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    }
    CHECK(wrong(0, PAGES - 8, 1));
    CHECK(wrong(PAGES - 8, PAGES, 2));
    CHECK(munmap(mem, SIZE));
    return 0;
}
