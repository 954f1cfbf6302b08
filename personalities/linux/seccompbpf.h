/*
 * personalities/linux/seccompbpf.h - seccomp's classic BPF: the
 * instructions of a filter (struct sock_filter, linux/filter.h), the data
 * it reads (struct seccomp_data, linux/seccomp.h), the check a filter
 * passes before it is installed, and the interpreter that runs it.
 *
 * Entry points: bpf_check, bpf_run (seccompbpf.c).  Callers: seccomp.c.
 * Layer: the bottom (no process state).  Book: docs/linux.md, "Seccomp".
 */
#ifndef LINUX_SECCOMPBPF_H
#define LINUX_SECCOMPBPF_H
#include <stdbool.h>
#include <stdint.h>

struct sock_filter {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
_Static_assert(sizeof(struct sock_filter) == 8, "struct sock_filter");

struct seccomp_data {
    int32_t nr;
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t args[6];
};
_Static_assert(sizeof(struct seccomp_data) == 64, "struct seccomp_data");

/* Whether a program of len instructions is one Linux installs: known
 * instructions only, those seccomp allows, jumps inside it, loads of
 * seccomp_data's aligned words, scratch memory stored before it is read,
 * a return at the end. */
bool bpf_check(const struct sock_filter *prog, int len);
/* The program's answer for d (a checked program). */
uint32_t bpf_run(const struct sock_filter *prog, const struct seccomp_data *d);

#endif
