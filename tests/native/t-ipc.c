/*
 * tests/native/t-ipc.c - IPC between two tasks, and newlib.
 *   t-ipc server   serves "pingpong": adds 1 to each word, reverses the bulk;
 *                  a call whose first word is ANSWER gets a two-word
 *                  answer (ipc_answer_recv): its next two words plus 1
 *   t-ipc client   checks call/reply data, runs 10,000 round trips and
 *                  reports their cost in TSC ticks, checks printf/malloc;
 *                  with budget=N, checks that a round trip costs at most N.
 */
#include "check.h"
#include <stdlib.h>
#include <string.h>

#define ANSWER 0xa05a05a05ull /* beyond the round trips' counter */

__attribute__((noreturn)) static void serve(void)
{
    int ep = persona_endpoint("pingpong");
    char *buf = ipc_buf();
    struct ipc_msg m;
    struct ipc_info info;
    long r = ipc_recv(ep, &m, &info);
    for (;;) {
        if (r < 0) {
            r = ipc_recv(ep, &m, &info);
            continue;
        }
        if (m.w[0] == ANSWER) {
            r = ipc_answer_recv(ep, info.token, m.w[1] + 1, m.w[2] + 1, &m, &info);
            continue;
        }
        for (int i = 0; i < IPC_WORDS; i++)
            m.w[i]++;
        for (uint64_t i = 0; i < info.len / 2; i++) {
            char c = buf[i];
            buf[i] = buf[info.len - 1 - i];
            buf[info.len - 1 - i] = c;
        }
        m.w[7] = info.badge;
        r = ipc_reply_recv(ep, info.token, &m, info.len, &info);
    }
}

static void client(unsigned long budget)
{
    int ep = persona_endpoint("pingpong");
    char *buf = ipc_buf();
    struct ipc_msg m = {{10, 20, 30, 40, 50, 60, 70, 80}};
    struct ipc_info info;
    strcpy(buf, "persona");
    long r = ipc_call(ep, &m, 7, &info);
    char reply[8] = {0};
    memcpy(reply, buf, 7); /* before printf, which uses the same buffer */
    CHECK(r == 0, "call returns 0 (got %ld)", r);
    CHECK(m.w[0] == 11 && m.w[3] == 41 && m.w[6] == 71, "reply words arrive in registers (%lu %lu %lu)",
          (unsigned long)m.w[0], (unsigned long)m.w[3], (unsigned long)m.w[6]);
    CHECK(m.w[7] != 0, "the server sees a non-zero badge for this client (%lu)", (unsigned long)m.w[7]);
    CHECK(info.len == 7 && strcmp(reply, "anosrep") == 0, "bulk data is copied both ways (\"%s\")", reply);
    m = (struct ipc_msg){{ANSWER, 5, 6, 7, 8, 9, 10, 11}};
    r = ipc_call(ep, &m, 0, &info);
    CHECK(r == 0 && m.w[0] == 6 && m.w[1] == 7 && !(m.w[2] | m.w[3] | m.w[4] | m.w[5] | m.w[6] | m.w[7]),
          "a two-word answer arrives with the other six words zero (%lu %lu %lu %lu)", (unsigned long)m.w[0],
          (unsigned long)m.w[1], (unsigned long)m.w[2], (unsigned long)m.w[7]);
    r = ipc_call(ep, &m, IPC_BUFFER_SIZE + 1, &info);
    CHECK(r == -22, "a bulk length over the buffer is EINVAL (%ld)", r);

    enum { ROUNDS = 10000 };
    int bad = 0;
    uint64_t t0 = rdtsc();
    for (uint64_t i = 0; i < ROUNDS; i++) {
        m.w[0] = i;
        if (ipc_call(ep, &m, 0, &info) != 0 || m.w[0] != i + 1)
            bad++;
    }
    uint64_t ticks = rdtsc() - t0;
    CHECK(bad == 0, "%d ping-pong rounds, all answered correctly", ROUNDS);
    printf("ipc: %lu TSC ticks per call+reply between two tasks\n", (unsigned long)(ticks / ROUNDS));
    if (budget) /* under icount, where a TSC tick is an instruction: the fastpath lab's budget */
        CHECK(ticks / ROUNDS <= budget, "a call+reply within the budget of %lu ticks", budget);

    char *blocks[100];
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        blocks[i] = malloc(1000 + i * 100);
        memset(blocks[i], i, 1000 + i * 100);
    }
    for (int i = 0; i < 100; i++) {
        sum += blocks[i][999 + i * 100];
        free(blocks[i]);
    }
    char out[64];
    snprintf(out, sizeof out, "%d|%5s|%-4x|%llu|%.2f", 42, "ab", 255, 1ull << 40, 3.14159);
    CHECK(sum == 4950 && strcmp(out, "42|   ab|ff  |1099511627776|3.14") == 0, "newlib malloc and printf (%s)", out);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "server") == 0)
        serve();
    unsigned long budget = 0;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "budget=", 7) == 0)
            budget = strtoul(argv[i] + 7, NULL, 10);
    client(budget);
    finish();
    return 0;
}
