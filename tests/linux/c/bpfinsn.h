/*
 * tests/linux/c/bpfinsn.h - what the bpf tests need of linux/bpf.h, which
 * musl's headers lack: the commands, map and program types, the
 * attribute blocks they fill (as raw structs, each a prefix of union
 * bpf_attr), struct bpf_insn and macros that write instructions by hand,
 * as the kernel's own tests (include/linux/filter.h) do; and bpf(), the
 * raw system call.
 */
#ifndef TESTS_LINUX_BPFINSN_H
#define TESTS_LINUX_BPFINSN_H
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { MAP_CREATE, MAP_LOOKUP_ELEM, MAP_UPDATE_ELEM, MAP_DELETE_ELEM, MAP_GET_NEXT_KEY, PROG_LOAD,
       PROG_TEST_RUN = 10, OBJ_GET_INFO_BY_FD = 15, MAP_LOOKUP_AND_DELETE_ELEM = 21 };
enum { MAP_HASH = 1, MAP_ARRAY = 2, MAP_PERCPU_HASH = 5, MAP_PERCPU_ARRAY = 6, MAP_LRU_HASH = 9 };
enum { PROG_SOCKET_FILTER = 1 };
#define F_NO_PREALLOC (1U << 0)
#define F_RDONLY (1U << 3)
#define F_WRONLY (1U << 4)

struct map_attr {
    uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
    char map_name[16];
};
struct elem_attr {
    uint32_t map_fd, pad;
    uint64_t key, value, flags;
};
struct load_attr {
    uint32_t prog_type, insn_cnt;
    uint64_t insns, license;
    uint32_t log_level, log_size;
    uint64_t log_buf;
    uint32_t kern_version, prog_flags;
    char prog_name[16];
};
struct test_attr {
    uint32_t prog_fd, retval, data_size_in, data_size_out;
    uint64_t data_in, data_out;
    uint32_t repeat, duration, ctx_size_in, ctx_size_out;
    uint64_t ctx_in, ctx_out;
    uint32_t flags, cpu, batch_size;
};
struct info_attr {
    uint32_t bpf_fd, info_len;
    uint64_t info;
};
struct map_info {
    uint32_t type, id, key_size, value_size, max_entries, map_flags;
    char name[16];
    uint32_t rest[12];
};

/* The call with an attribute block padded to 128 bytes of zeros. */
static inline long bpf(int cmd, const void *attr, size_t n)
{
    union {
        char b[128];
        uint64_t align;
    } a;
    memset(&a, 0, sizeof a);
    memcpy(a.b, attr, n);
    long r = syscall(321, cmd, &a, sizeof a);
    if (cmd == PROG_TEST_RUN || cmd == OBJ_GET_INFO_BY_FD || cmd == PROG_LOAD)
        memcpy((void *)attr, a.b, n); /* what the call wrote back */
    return r;
}

struct bpf_insn {
    uint8_t code;
    uint8_t regs; /* dst in the low four bits, src in the high */
    int16_t off;
    int32_t imm;
};

#define BPF_LD 0x00
#define BPF_LDX 0x01
#define BPF_ST 0x02
#define BPF_STX 0x03
#define BPF_ALU 0x04
#define BPF_JMP 0x05
#define BPF_JMP32 0x06
#define BPF_ALU64 0x07
#define BPF_W 0x00
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_DW 0x18
#define BPF_IMM 0x00
#define BPF_ABS 0x20
#define BPF_IND 0x40
#define BPF_MEM 0x60
#define BPF_ATOMIC 0xc0
#define BPF_K 0x00
#define BPF_X 0x08
#define BPF_ADD 0x00
#define BPF_SUB 0x10
#define BPF_MUL 0x20
#define BPF_DIV 0x30
#define BPF_OR 0x40
#define BPF_AND 0x50
#define BPF_LSH 0x60
#define BPF_RSH 0x70
#define BPF_NEG 0x80
#define BPF_MOD 0x90
#define BPF_XOR 0xa0
#define BPF_MOV 0xb0
#define BPF_ARSH 0xc0
#define BPF_END 0xd0
#define BPF_TO_BE 0x08
#define BPF_JA 0x00
#define BPF_JEQ 0x10
#define BPF_JGT 0x20
#define BPF_JGE 0x30
#define BPF_JSET 0x40
#define BPF_JNE 0x50
#define BPF_JSGT 0x60
#define BPF_JLT 0xa0
#define BPF_JSLT 0xc0
#define BPF_CALL 0x80
#define BPF_EXIT 0x90
#define BPF_FETCH 0x01

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .regs = (uint8_t)((d) | (s) << 4), .off = (o), .imm = (i)})
#define ALU64_IMM(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define ALU32_REG(op, d, s) INSN(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) ALU64_IMM(BPF_MOV, d, i)
#define MOV64_REG(d, s) ALU64_REG(BPF_MOV, d, s)
#define MOV32_IMM(d, i) ALU32_IMM(BPF_MOV, d, i)
#define LD_IMM64(d, v) INSN(BPF_LD | BPF_DW | BPF_IMM, d, 0, 0, (int32_t)(uint32_t)(v)), \
                       INSN(0, 0, 0, 0, (int32_t)((uint64_t)(v) >> 32))
#define LD_MAP_FD(d, fd) INSN(BPF_LD | BPF_DW | BPF_IMM, d, 1, 0, fd), INSN(0, 0, 0, 0, 0)
#define LDX_MEM(sz, d, s, o) INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define STX_MEM(sz, d, s, o) INSN(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define ST_MEM(sz, d, o, i) INSN(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define ATOMIC_ADD(sz, d, s, o) INSN(BPF_STX | (sz) | BPF_ATOMIC, d, s, o, BPF_ADD)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o) INSN(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(fn) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_ABS(sz, i) INSN(BPF_LD | (sz) | BPF_ABS, 0, 0, 0, i)
#define LD_IND(sz, s, i) INSN(BPF_LD | (sz) | BPF_IND, 0, s, 0, i)

enum { FN_map_lookup_elem = 1, FN_map_update_elem, FN_map_delete_elem, FN_ktime_get_ns = 5,
       FN_get_prandom_u32 = 7, FN_get_smp_processor_id };

#endif
