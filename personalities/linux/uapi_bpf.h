/*
 * personalities/linux/uapi_bpf.h - the Linux ABI of the bpf call
 * (linux/bpf.h, linux/bpf_common.h): its commands, the map and program
 * types, the flags, and the eBPF instruction set's classes, sizes,
 * modes and operations beyond classic BPF's (which uapi_sec.h has).
 * Beside uapi.h, for bpf.c, bpfmap.c, bpfprog.c and bpfvm.c (the same
 * rules: Linux's names and values, checked by scripts/check-uapi.py).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book:
 * docs/linux.md, "eBPF".
 */
#ifndef LINUX_UAPI_BPF_H
#define LINUX_UAPI_BPF_H
#include "uapi_sec.h"

enum {
    BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2, BPF_MAP_DELETE_ELEM = 3,
    BPF_MAP_GET_NEXT_KEY = 4, BPF_PROG_LOAD = 5, BPF_PROG_TEST_RUN = 10, BPF_OBJ_GET_INFO_BY_FD = 15,
    BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21, BPF_MAP_FREEZE = 22, BPF_MAP_LOOKUP_BATCH = 24,
    BPF_MAP_LOOKUP_AND_DELETE_BATCH = 25, BPF_MAP_UPDATE_BATCH = 26, BPF_MAP_DELETE_BATCH = 27
};
enum {
    BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_PERCPU_HASH = 5, BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_LRU_HASH = 9, BPF_MAP_TYPE_LRU_PERCPU_HASH = 10
};
enum { BPF_PROG_TYPE_SOCKET_FILTER = 1 };
enum { BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2, BPF_F_LOCK = 4 };
enum {
    BPF_F_NO_PREALLOC = (1U << 0), BPF_F_NO_COMMON_LRU = (1U << 1), BPF_F_NUMA_NODE = (1U << 2),
    BPF_F_RDONLY = (1U << 3), BPF_F_WRONLY = (1U << 4), BPF_F_ZERO_SEED = (1U << 6), BPF_F_RDONLY_PROG = (1U << 7),
    BPF_F_WRONLY_PROG = (1U << 8), BPF_F_MMAPABLE = (1U << 10)
};
#define BPF_OBJ_NAME_LEN 16U
#define BPF_PSEUDO_MAP_FD 1
#define BPF_PSEUDO_MAP_VALUE 2
#define BPF_F_STRICT_ALIGNMENT (1U << 0)
#define BPF_F_ANY_ALIGNMENT (1U << 1)
#define BPF_F_TEST_RND_HI32 (1U << 2)
#define BPF_F_SLEEPABLE (1U << 4)

/* eBPF's instruction set (linux/bpf.h, linux/bpf_common.h) */
#define BPF_JMP32 0x06
#define BPF_ALU64 0x07
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_DW 0x18
#define BPF_IND 0x40
#define BPF_ATOMIC 0xc0
#define BPF_MOV 0xb0
#define BPF_ARSH 0xc0
#define BPF_END 0xd0
#define BPF_TO_LE 0x00
#define BPF_TO_BE 0x08
#define BPF_JNE 0x50
#define BPF_JSGT 0x60
#define BPF_JSGE 0x70
#define BPF_CALL 0x80
#define BPF_EXIT 0x90
#define BPF_JLT 0xa0
#define BPF_JLE 0xb0
#define BPF_JSLT 0xc0
#define BPF_JSLE 0xd0
#define BPF_FETCH 0x01
#define BPF_XCHG (0xe0 | BPF_FETCH)
#define BPF_CMPXCHG (0xf0 | BPF_FETCH)
#define MAX_BPF_REG 11 /* R0-R9, R10 the frame pointer (an enum's last member) */

/* the helpers the interpreter has (enum bpf_func_id) */
enum {
    BPF_FUNC_map_lookup_elem = 1, BPF_FUNC_map_update_elem = 2, BPF_FUNC_map_delete_elem = 3,
    BPF_FUNC_ktime_get_ns = 5, BPF_FUNC_get_prandom_u32 = 7, BPF_FUNC_get_smp_processor_id = 8
};

#define SO_ATTACH_FILTER 26 /* asm-generic/socket.h */
#define SO_DETACH_FILTER 27
#define SO_ATTACH_BPF 50
#define LINUX_ENOTSUPP 524 /* linux/errno.h (the kernel's own, seen by user space as is) */
#endif
