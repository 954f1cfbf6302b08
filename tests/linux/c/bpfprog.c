/*
 * tests/linux/c/bpfprog.c - bpf(2)'s socket-filter programs with raw
 * calls and hand-written instructions: what the verifier refuses (an
 * unknown opcode, a jump out of the program, no exit, an unreachable
 * instruction, an uninitialised register, an infinite loop, a map
 * descriptor that is none, a map value used before its NULL check, a
 * store to the frame pointer or past the stack, a division by a zero
 * constant, an unknown helper), with the errno and whether the log names
 * the reason; and what the interpreter answers in BPF_PROG_TEST_RUN:
 * arithmetic of 64 and 32 bits, jumps of both widths, a bounded loop,
 * the stack, LD_ABS and LD_IND over the packet, the context's len and
 * protocol, the map helpers and the others, a global variable's map
 * value (BPF_PSEUDO_MAP_VALUE), repeat; and socket filters
 * (SO_ATTACH_BPF, classic SO_ATTACH_FILTER, SO_DETACH_FILTER) on AF_UNIX
 * datagram and UDP sockets.  If loading the
 * smallest program fails, the test says so and stops, on either side.
 * Nothing printed depends on the time, the CPU or random numbers.
 */
#define _GNU_SOURCE
#include "check.h"
#include "bpfinsn.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
static char logbuf[65536];

/* Loads prog (with a log); the descriptor, or -1 and errno. */
static int load(const struct bpf_insn *insns, unsigned n)
{
    struct load_attr a = {.prog_type = PROG_SOCKET_FILTER, .insn_cnt = n, .insns = (uintptr_t)insns,
                          .license = (uintptr_t)"GPL", .log_level = 1, .log_size = sizeof logbuf,
                          .log_buf = (uintptr_t)logbuf};
    logbuf[0] = 0;
    return (int)bpf(PROG_LOAD, &a, sizeof a);
}

/* A refused program: its errno, and whether the log says why. */
static void refused(const char *what, const struct bpf_insn *insns, unsigned n, const char *why)
{
    int fd = load(insns, n), e = errno;
    printf("%-28s -> %d %s, log names it: %d\n", what, fd < 0 ? -1 : 0, fd < 0 ? strerror(e) : "",
           strstr(logbuf, why) != NULL);
    if (fd >= 0)
        close(fd);
    errno = 0;
}

static uint8_t pkt[64] = {0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};

/* Runs prog over pkt's first n bytes: the test-run call's result, and the program's answer in *ret. */
static long run(int fd, uint32_t n, uint32_t repeat, uint32_t *ret)
{
    struct test_attr a = {.prog_fd = (uint32_t)fd, .data_size_in = n, .data_in = (uintptr_t)pkt, .repeat = repeat};
    long r = bpf(PROG_TEST_RUN, &a, sizeof a);
    *ret = a.retval;
    return r;
}

/* Loads and runs: prints the answer. */
static void answer(const char *what, const struct bpf_insn *insns, unsigned n, uint32_t len)
{
    int fd = load(insns, n);
    uint32_t ret = 0;
    if (fd < 0) {
        printf("%-28s load: %s\n", what, strerror(errno));
        errno = 0;
        return;
    }
    long r = run(fd, len, 1, &ret);
    printf("%-28s = %ld, retval %#x\n", what, r, ret);
    close(fd);
}

static void refusals(int map, int hash)
{
    const struct bpf_insn bad_op[] = {MOV64_IMM(0, 0), INSN(0xff, 0, 0, 0, 0), EXIT()};
    refused("unknown opcode", bad_op, N(bad_op), "unknown opcode ff");
    const struct bpf_insn out[] = {MOV64_IMM(0, 0), JA(5), EXIT()};
    refused("jump out of range", out, N(out), "jump out of range");
    const struct bpf_insn no_exit[] = {MOV64_IMM(0, 0), MOV64_IMM(1, 0)};
    refused("no exit", no_exit, N(no_exit), "last insn is not an exit or jmp");
    const struct bpf_insn dead[] = {MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 1), EXIT()};
    refused("unreachable", dead, N(dead), "unreachable insn 2");
    const struct bpf_insn no_r0[] = {EXIT()};
    refused("R0 not set", no_r0, N(no_r0), "R0 !read_ok");
    const struct bpf_insn no_r2[] = {MOV64_REG(0, 2), EXIT()};
    refused("R2 read uninitialised", no_r2, N(no_r2), "R2 !read_ok");
    const struct bpf_insn loop[] = {MOV64_IMM(0, 0), JA(-1)};
    refused("infinite loop", loop, N(loop), "infinite loop detected");
    const struct bpf_insn nofd[] = {LD_MAP_FD(1, 999), MOV64_IMM(0, 0), EXIT()};
    refused("map fd not open", nofd, N(nofd), "fd 999 is not pointing to valid bpf_map");
    const struct bpf_insn notmap[] = {LD_MAP_FD(1, 0), MOV64_IMM(0, 0), EXIT()};
    refused("map fd not a map", notmap, N(notmap), "not pointing to valid bpf_map");
    const struct bpf_insn nocheck[] = {ST_MEM(BPF_W, 10, -4, 0), MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
                                       LD_MAP_FD(1, hash), CALL(FN_map_lookup_elem), LDX_MEM(BPF_DW, 0, 0, 0),
                                       EXIT()};
    refused("no NULL check", nocheck, N(nocheck), "invalid mem access 'map_value_or_null'");
    const struct bpf_insn fp[] = {MOV64_IMM(10, 0), MOV64_IMM(0, 0), EXIT()};
    refused("frame pointer written", fp, N(fp), "frame pointer is read only");
    const struct bpf_insn past[] = {MOV64_IMM(0, 0), STX_MEM(BPF_DW, 10, 0, 8), EXIT()};
    refused("store past the stack", past, N(past), "stack R10 off=8 size=8");
    const struct bpf_insn div0[] = {MOV64_IMM(0, 1), ALU64_IMM(BPF_DIV, 0, 0), EXIT()};
    refused("division by constant 0", div0, N(div0), "div by zero");
    const struct bpf_insn fn[] = {CALL(9999), EXIT()};
    refused("unknown helper", fn, N(fn), "invalid func unknown#9999");
    const struct bpf_insn big_value[] = {ST_MEM(BPF_W, 10, -4, 0), MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
                                         LD_MAP_FD(1, map), CALL(FN_map_lookup_elem), JMP_IMM(BPF_JEQ, 0, 0, 1),
                                         LDX_MEM(BPF_DW, 0, 0, 8), EXIT()};
    refused("past the map value", big_value, N(big_value), "invalid access to map value");
    const struct bpf_insn ctx[] = {LDX_MEM(BPF_W, 0, 1, 1000), EXIT()};
    refused("past the context", ctx, N(ctx), "invalid bpf_context access");
    const struct bpf_insn ldabs[] = {LD_ABS(BPF_W, 0), EXIT()};
    refused("LD_ABS without R6", ldabs, N(ldabs), "R6 !read_ok");
}

static void attr_errors(void)
{
    const struct bpf_insn ok[] = {MOV64_IMM(0, 0), EXIT()};
    struct load_attr a = {.prog_type = PROG_SOCKET_FILTER, .insn_cnt = 2, .insns = (uintptr_t)ok,
                          .license = (uintptr_t)"GPL"};
    a.insn_cnt = 0;
    CHECK(bpf(PROG_LOAD, &a, sizeof a));
    a.insn_cnt = 2, a.prog_type = 999;
    CHECK(bpf(PROG_LOAD, &a, sizeof a));
    a.prog_type = PROG_SOCKET_FILTER, a.insns = 8;
    CHECK(bpf(PROG_LOAD, &a, sizeof a));
    a.insns = (uintptr_t)ok, a.log_buf = (uintptr_t)logbuf, a.log_size = 4096;
    CHECK(bpf(PROG_LOAD, &a, sizeof a)); /* a log with no level */
    a.log_buf = 0, a.log_size = 0;
    strcpy(a.prog_name, "bad name");
    CHECK(bpf(PROG_LOAD, &a, sizeof a));
    strcpy(a.prog_name, "good_name");
    int fd = (int)bpf(PROG_LOAD, &a, sizeof a);
    CHECK(fd >= 0);
    char link[64] = {0}, path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("link %s cloexec %d\n", link, fcntl(fd, F_GETFD));
    uint32_t ret;
    CHECK(run(fd, 13, 1, &ret));
    CHECK(run(999, 14, 1, &ret));
    struct test_attr t = {.prog_fd = (uint32_t)fd, .data_size_in = 60, .data_in = (uintptr_t)pkt,
                          .data_out = (uintptr_t)logbuf, .data_size_out = 16};
    CHECK(bpf(PROG_TEST_RUN, &t, sizeof t));
    printf("data_size_out %u\n", t.data_size_out);
    t.data_size_out = 100;
    CHECK(bpf(PROG_TEST_RUN, &t, sizeof t));
    printf("data_size_out %u same %d\n", t.data_size_out, !memcmp(logbuf, pkt, 60));
    t.flags = 1;
    CHECK(bpf(PROG_TEST_RUN, &t, sizeof t));
    close(fd);
}

static void arithmetic(void)
{
    const struct bpf_insn alu64[] = {
        MOV64_IMM(0, 7), ALU64_IMM(BPF_MUL, 0, 6), ALU64_IMM(BPF_SUB, 0, 2), ALU64_IMM(BPF_LSH, 0, 40),
        ALU64_IMM(BPF_RSH, 0, 36), ALU64_IMM(BPF_XOR, 0, 0xff), ALU64_IMM(BPF_OR, 0, 0x1000),
        ALU64_IMM(BPF_AND, 0, 0x17ff), MOV64_IMM(1, 3), ALU64_REG(BPF_MOD, 0, 1), ALU64_IMM(BPF_ADD, 0, 100),
        MOV64_IMM(2, 0), MOV64_REG(3, 0), ALU64_REG(BPF_DIV, 3, 2), ALU64_REG(BPF_ADD, 0, 3),
        MOV64_IMM(4, -64), ALU64_IMM(BPF_ARSH, 4, 2), ALU64_REG(BPF_SUB, 0, 4), EXIT()};
    answer("alu64", alu64, N(alu64), 60);
    const struct bpf_insn alu32[] = {
        MOV32_IMM(0, -1), ALU32_IMM(BPF_ADD, 0, 2), LD_IMM64(1, 0x1234567800000000ull), ALU32_REG(BPF_ADD, 1, 0),
        MOV64_REG(0, 1), ALU32_IMM(BPF_NEG, 0, 0), ALU32_IMM(BPF_MOD, 0, 1000), MOV32_IMM(2, 0),
        ALU32_REG(BPF_MOD, 0, 2), EXIT()};
    answer("alu32", alu32, N(alu32), 60);
    const struct bpf_insn endian[] = {MOV64_IMM(0, 0x1234), INSN(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 16), EXIT()};
    answer("to_be16", endian, N(endian), 60);
    const struct bpf_insn jmps[] = {
        LD_IMM64(1, 0x100000005ull), MOV64_IMM(0, 0), JMP32_IMM(BPF_JEQ, 1, 5, 1), EXIT(),
        JMP_IMM(BPF_JEQ, 1, 5, 2), ALU64_IMM(BPF_OR, 0, 1), JA(0), MOV64_IMM(2, -3),
        JMP_IMM(BPF_JSLT, 2, 0, 1), EXIT(), JMP_IMM(BPF_JGT, 2, 0, 1), EXIT(), JMP_IMM(BPF_JSET, 1, 4, 1), EXIT(),
        ALU64_IMM(BPF_OR, 0, 0x10), EXIT()};
    answer("jumps", jmps, N(jmps), 60);
    const struct bpf_insn loop[] = {MOV64_IMM(1, 0), MOV64_IMM(0, 0), ALU64_IMM(BPF_ADD, 1, 1),
                                    ALU64_REG(BPF_ADD, 0, 1), JMP_IMM(BPF_JLT, 1, 10, -3), EXIT()};
    answer("bounded loop", loop, N(loop), 60);
    const struct bpf_insn stack[] = {MOV64_IMM(1, 0x55), STX_MEM(BPF_DW, 10, 1, -8), ST_MEM(BPF_W, 10, -12, 0x66),
                                     LDX_MEM(BPF_DW, 0, 10, -8), LDX_MEM(BPF_W, 2, 10, -12),
                                     ALU64_REG(BPF_ADD, 0, 2), EXIT()};
    answer("stack", stack, N(stack), 60);
}

static void packets(void)
{
    const struct bpf_insn abs_w[] = {MOV64_REG(6, 1), LD_ABS(BPF_W, 0), EXIT()};
    answer("LD_ABS word", abs_w, N(abs_w), 60);
    const struct bpf_insn ind_h[] = {MOV64_REG(6, 1), MOV64_IMM(7, 1), LD_IND(BPF_H, 7, 2), EXIT()};
    answer("LD_IND half", ind_h, N(ind_h), 60);
    const struct bpf_insn outside[] = {MOV64_REG(6, 1), MOV64_IMM(0, 9), LD_ABS(BPF_B, 100), EXIT()};
    answer("LD_ABS past the end", outside, N(outside), 60);
    const struct bpf_insn len[] = {LDX_MEM(BPF_W, 0, 1, 0), EXIT()};
    answer("skb->len", len, N(len), 60);
    const struct bpf_insn proto[] = {LDX_MEM(BPF_W, 0, 1, 16), EXIT()};
    answer("skb->protocol", proto, N(proto), 60);
    const struct bpf_insn cb[] = {ST_MEM(BPF_W, 1, 48, 77), LDX_MEM(BPF_W, 0, 1, 48), EXIT()};
    answer("skb->cb[0]", cb, N(cb), 60);
}

static void helpers(int map)
{
    /* value[0] += 1 for key 0 each run, answer the new value */
    const struct bpf_insn count[] = {
        ST_MEM(BPF_W, 10, -4, 0), MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4), LD_MAP_FD(1, map),
        CALL(FN_map_lookup_elem), JMP_IMM(BPF_JNE, 0, 0, 1), EXIT(), MOV64_IMM(1, 1),
        ATOMIC_ADD(BPF_DW, 0, 1, 0), LDX_MEM(BPF_DW, 0, 0, 0), EXIT()};
    int fd = load(count, N(count));
    uint32_t ret = 0, key = 0;
    CHECK(run(fd, 60, 5, &ret));
    printf("retval %u\n", ret);
    uint64_t v = 0;
    struct elem_attr e = {.map_fd = (uint32_t)map, .key = (uintptr_t)&key, .value = (uintptr_t)&v};
    CHECK(bpf(MAP_LOOKUP_ELEM, &e, sizeof e));
    printf("map value %llu\n", (unsigned long long)v);
    close(fd);
    /* update key 1 to 42, delete key 1 of a hash map */
    const struct bpf_insn upd[] = {
        ST_MEM(BPF_W, 10, -4, 1), ST_MEM(BPF_DW, 10, -16, 42), MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
        MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16), MOV64_IMM(4, 0), LD_MAP_FD(1, map),
        CALL(FN_map_update_elem), EXIT()};
    answer("map_update_elem", upd, N(upd), 60);
    key = 1;
    CHECK(bpf(MAP_LOOKUP_ELEM, &e, sizeof e));
    printf("map value %llu\n", (unsigned long long)v);
    const struct bpf_insn del[] = {ST_MEM(BPF_W, 10, -4, 1), MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
                                   LD_MAP_FD(1, map), CALL(FN_map_delete_elem), EXIT()};
    answer("map_delete_elem (array)", del, N(del), 60);
    const struct bpf_insn misc[] = {
        CALL(FN_ktime_get_ns), MOV64_REG(6, 0), CALL(FN_get_prandom_u32), CALL(FN_get_smp_processor_id),
        MOV64_REG(7, 0), CALL(FN_ktime_get_ns), MOV64_IMM(1, 0), JMP_REG(BPF_JGE, 0, 6, 1), EXIT(),
        MOV64_IMM(0, 1), JMP_IMM(BPF_JLT, 7, 1024, 1), MOV64_IMM(0, 2), EXIT()};
    answer("time, random, cpu", misc, N(misc), 60);
}

static int prog(const struct bpf_insn *insns, unsigned n)
{
    int fd = load(insns, n);
    if (fd < 0)
        printf("load: %s\n", strerror(errno));
    return fd;
}

static void recv_print(int s)
{
    char buf[64] = {0};
    long n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
    printf("  recv %ld %s%s\n", n, n < 0 ? strerror(errno) : "", n < 0 ? "" : buf);
    errno = 0;
}

static void unix_filters(int map)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    const struct bpf_insn cut[] = {MOV64_IMM(0, 3), EXIT()}, drop[] = {MOV64_IMM(0, 0), EXIT()};
    const struct bpf_insn first_x[] = {MOV64_REG(6, 1), LD_ABS(BPF_B, 0), JMP_IMM(BPF_JEQ, 0, 'x', 2), MOV64_IMM(0, 0),
                                       EXIT(), MOV64_IMM(0, 0xffff), EXIT()};
    int pc = prog(cut, N(cut)), pd = prog(drop, N(drop)), px = prog(first_x, N(first_x));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &pc, sizeof pc));
    CHECK(send(sv[0], "hello", 5, 0));
    recv_print(sv[1]);
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &pd, sizeof pd));
    CHECK(send(sv[0], "hello", 5, 0));
    recv_print(sv[1]);
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &px, sizeof px));
    CHECK(send(sv[0], "abc", 4, 0));
    CHECK(send(sv[0], "xyz", 4, 0));
    recv_print(sv[1]);
    recv_print(sv[1]);
    CHECK(send(sv[1], "abc", 4, 0)); /* the other way: no filter */
    recv_print(sv[0]);
    int bad = 999;
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &bad, sizeof bad));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &map, sizeof map));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 50, &pc, 2));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 27, NULL, 0));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 27, &bad, sizeof bad));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 27, &bad, sizeof bad));
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    close(pc), close(pd), close(px), close(sv[0]), close(sv[1]);
}

struct cinsn {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
struct cprog {
    uint16_t len;
    const struct cinsn *filter;
};

static long classic(int s, const struct cinsn *f, unsigned n)
{
    struct cprog p = {(uint16_t)n, f};
    return setsockopt(s, SOL_SOCKET, 26, &p, sizeof p);
}

/* SO_ATTACH_FILTER: classic BPF over AF_UNIX datagrams, and its errors */
static void classic_filters(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    const struct cinsn cut[] = {{0x06, 0, 0, 3}}; /* ret #3 */
    const struct cinsn first_x[] = {{0x30, 0, 0, 0}, {0x15, 0, 1, 'x'}, {0x06, 0, 0, 0xffff}, {0x06, 0, 0, 0}};
    const struct cinsn len[] = {{0x80, 0, 0, 0}, {0x04, 0, 0, 1}, {0x16, 0, 0, 0}}; /* ld len; add #1; ret a */
    const struct cinsn proto[] = {{0x28, 0, 0, (uint32_t)-0x1000}, {0x15, 0, 1, 0}, {0x06, 0, 0, 2},
                                  {0x06, 0, 0, 0}}; /* ldh proto; jeq #0 */
    const struct cinsn mem[] = {{0x00, 0, 0, 9}, {0x02, 0, 0, 3}, {0x00, 0, 0, 0}, {0x60, 0, 0, 3},
                                {0x16, 0, 0, 0}}; /* ld #9; st M[3]; ld #0; ld M[3]; ret a */
    const struct cinsn divx[] = {{0x00, 0, 0, 9}, {0x01, 0, 0, 0}, {0x3c, 0, 0, 0}, {0x06, 0, 0, 5}};
    CHECK(classic(sv[1], cut, 1));
    CHECK(send(sv[0], "hello", 5, 0));
    recv_print(sv[1]);
    CHECK(classic(sv[1], first_x, 4));
    CHECK(send(sv[0], "abc", 4, 0));
    CHECK(send(sv[0], "xyz", 4, 0));
    recv_print(sv[1]);
    recv_print(sv[1]);
    CHECK(classic(sv[1], len, 3));
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    CHECK(classic(sv[1], proto, 4));
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    CHECK(classic(sv[1], mem, 5));
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    CHECK(classic(sv[1], divx, 4)); /* A / X with X zero: the program answers 0 */
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    const struct cinsn bad_code[] = {{0xffff, 0, 0, 0}, {0x06, 0, 0, 0}};
    const struct cinsn no_ret[] = {{0x00, 0, 0, 1}};
    const struct cinsn div0[] = {{0x34, 0, 0, 0}, {0x06, 0, 0, 0}};
    const struct cinsn far[] = {{0x15, 5, 0, 1}, {0x06, 0, 0, 0}};
    const struct cinsn unset[] = {{0x60, 0, 0, 2}, {0x16, 0, 0, 0}};
    CHECK(classic(sv[1], bad_code, 2));
    CHECK(classic(sv[1], no_ret, 1));
    CHECK(classic(sv[1], div0, 2));
    CHECK(classic(sv[1], far, 2));
    CHECK(classic(sv[1], unset, 2));
    CHECK(classic(sv[1], cut, 0));
    CHECK(classic(sv[1], (const struct cinsn *)8, 1));
    struct cprog p = {1, cut};
    CHECK(setsockopt(sv[1], SOL_SOCKET, 26, &p, 8));
    CHECK(setsockopt(sv[1], SOL_SOCKET, 27, &p, sizeof(int)));
    CHECK(send(sv[0], "hello", 6, 0));
    recv_print(sv[1]);
    close(sv[0]), close(sv[1]);
}

static void udp_filters(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    bind(b, (struct sockaddr *)&sa, sizeof sa);
    getsockname(b, (struct sockaddr *)&sa, &sl);
    connect(a, (struct sockaddr *)&sa, sizeof sa);
    /* keep it if the UDP header's length is skb->len and the protocol IPv4's */
    const struct bpf_insn hdr[] = {MOV64_REG(6, 1), LD_ABS(BPF_H, 4), LDX_MEM(BPF_W, 2, 6, 0),
                                   JMP_REG(BPF_JNE, 0, 2, 3), LDX_MEM(BPF_W, 0, 6, 16), JMP_IMM(BPF_JNE, 0, 8, 1),
                                   MOV64_IMM(0, -1), EXIT()};
    const struct bpf_insn cut[] = {MOV64_IMM(0, 10), EXIT()}, tiny[] = {MOV64_IMM(0, 3), EXIT()};
    int ph = prog(hdr, N(hdr)), pc = prog(cut, N(cut)), pt = prog(tiny, N(tiny));
    CHECK(setsockopt(b, SOL_SOCKET, 50, &ph, sizeof ph));
    CHECK(send(a, "hello", 6, 0));
    usleep(10000);
    recv_print(b);
    CHECK(setsockopt(b, SOL_SOCKET, 50, &pc, sizeof pc));
    CHECK(send(a, "hello", 6, 0));
    usleep(10000);
    recv_print(b);
    CHECK(setsockopt(b, SOL_SOCKET, 50, &pt, sizeof pt));
    CHECK(send(a, "hello", 6, 0));
    usleep(10000);
    recv_print(b);
    const struct cinsn ulen[] = {{0x28, 0, 0, 4}, {0x16, 0, 0, 0}}; /* ldh [4] (the UDP length); ret a */
    CHECK(classic(b, ulen, 2));
    CHECK(send(a, "hello", 6, 0));
    usleep(10000);
    recv_print(b);
    CHECK(setsockopt(b, SOL_SOCKET, 27, &ph, sizeof ph));
    CHECK(send(a, "hello", 6, 0));
    usleep(10000);
    recv_print(b);
    close(ph), close(pc), close(pt), close(a), close(b);
}

/* BPF_PSEUDO_MAP_VALUE: a global variable in an array of one element */
static void globals(int map, int hash)
{
    struct map_attr m = {.map_type = MAP_ARRAY, .key_size = 4, .value_size = 16, .max_entries = 1};
    int one = (int)bpf(MAP_CREATE, &m, sizeof m);
    const struct bpf_insn inc[] = {INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 2, 0, one), INSN(0, 0, 0, 0, 8),
                                   LDX_MEM(BPF_DW, 0, 1, 0), ALU64_IMM(BPF_ADD, 0, 1), STX_MEM(BPF_DW, 1, 0, 0),
                                   EXIT()};
    int fd = load(inc, N(inc));
    uint32_t ret = 0;
    CHECK(run(fd, 60, 3, &ret));
    printf("retval %u\n", ret);
    uint32_t key = 0;
    uint64_t v[2] = {0};
    struct elem_attr e = {.map_fd = (uint32_t)one, .key = (uintptr_t)&key, .value = (uintptr_t)v};
    CHECK(bpf(MAP_LOOKUP_ELEM, &e, sizeof e));
    printf("value %llu %llu\n", (unsigned long long)v[0], (unsigned long long)v[1]);
    close(fd);
    const struct bpf_insn h[] = {INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 2, 0, hash), INSN(0, 0, 0, 0, 0), MOV64_IMM(0, 0),
                                 EXIT()};
    refused("value of a hash map", h, N(h), "no direct value access support");
    const struct bpf_insn a4[] = {INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 2, 0, map), INSN(0, 0, 0, 0, 0), MOV64_IMM(0, 0),
                                  EXIT()};
    refused("value of a 4-element array", a4, N(a4), "invalid access to map value pointer");
    const struct bpf_insn past[] = {INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 2, 0, one), INSN(0, 0, 0, 0, 16),
                                    MOV64_IMM(0, 0), EXIT()};
    refused("value offset past it", past, N(past), "invalid access to map value pointer");
    const struct bpf_insn over[] = {INSN(BPF_LD | BPF_DW | BPF_IMM, 1, 2, 0, one), INSN(0, 0, 0, 0, 12),
                                    LDX_MEM(BPF_DW, 0, 1, 0), EXIT()};
    refused("load across its end", over, N(over), "invalid access to map value");
    close(one);
}

static void unprivileged(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        const struct bpf_insn ok[] = {MOV64_IMM(0, 0), EXIT()};
        if (setuid(65534) < 0)
            _exit(1);
        CHECK(load(ok, N(ok)));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct bpf_insn ok[] = {MOV64_IMM(0, 7), EXIT()};
    int fd = load(ok, N(ok));
    if (fd < 0) {
        printf("bpf programs unavailable: %s\n", strerror(errno));
        return 0;
    }
    uint32_t ret;
    CHECK(run(fd, 60, 100, &ret));
    printf("retval %u\n", ret);
    close(fd);
    struct map_attr m = {.map_type = MAP_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4};
    int map = (int)bpf(MAP_CREATE, &m, sizeof m);
    m.map_type = MAP_HASH;
    int hash = (int)bpf(MAP_CREATE, &m, sizeof m);
    refusals(map, hash);
    attr_errors();
    arithmetic();
    packets();
    helpers(map);
    globals(map, hash);
    unix_filters(map);
    classic_filters();
    udp_filters();
    unprivileged();
    return 0;
}
