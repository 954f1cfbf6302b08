/*
 * personalities/linux/uapi_ptrace.h - the Linux ABI of ptrace(2): the
 * requests, options, events and PTRACE_GET_SYSCALL_INFO's record
 * (linux/ptrace.h), struct user_regs_struct's and struct user's layout
 * (sys/user.h), and the regsets' note types (linux/elf.h).  Checked by
 * scripts/check-uapi.py as uapi.h is.
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "ptrace".
 */
#ifndef LINUX_UAPI_PTRACE_H
#define LINUX_UAPI_PTRACE_H
#include <stdint.h>

#define PTRACE_TRACEME 0
#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_PEEKUSR 3
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_POKEUSR 6
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_SINGLESTEP 9
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_GETFPREGS 14
#define PTRACE_SETFPREGS 15
#define PTRACE_ATTACH 16
#define PTRACE_DETACH 17
#define PTRACE_SYSCALL 24
#define PTRACE_GET_THREAD_AREA 25
#define PTRACE_SET_THREAD_AREA 26
#define PTRACE_SETOPTIONS 0x4200
#define PTRACE_GETEVENTMSG 0x4201
#define PTRACE_GETSIGINFO 0x4202
#define PTRACE_SETSIGINFO 0x4203
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define PTRACE_SEIZE 0x4206
#define PTRACE_INTERRUPT 0x4207
#define PTRACE_LISTEN 0x4208
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#define PTRACE_GET_SYSCALL_INFO 0x420e

#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_EXEC 4
#define PTRACE_EVENT_VFORK_DONE 5
#define PTRACE_EVENT_EXIT 6
#define PTRACE_EVENT_STOP 128

#define PTRACE_O_TRACESYSGOOD 1
#define PTRACE_O_TRACEFORK (1 << PTRACE_EVENT_FORK)
#define PTRACE_O_TRACEVFORK (1 << PTRACE_EVENT_VFORK)
#define PTRACE_O_TRACECLONE (1 << PTRACE_EVENT_CLONE)
#define PTRACE_O_TRACEEXEC (1 << PTRACE_EVENT_EXEC)
#define PTRACE_O_TRACEVFORKDONE (1 << PTRACE_EVENT_VFORK_DONE)
#define PTRACE_O_TRACEEXIT (1 << PTRACE_EVENT_EXIT)
#define PTRACE_O_TRACESECCOMP (1 << 7)
#define PTRACE_O_EXITKILL (1 << 20)
#define PTRACE_O_SUSPEND_SECCOMP (1 << 21)
#define PTRACE_O_MASK (0x000000ff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP)

#define PTRACE_SYSCALL_INFO_NONE 0
#define PTRACE_SYSCALL_INFO_ENTRY 1
#define PTRACE_SYSCALL_INFO_EXIT 2

#define NT_PRSTATUS 1 /* the regsets: the general registers, the fxsave area */
#define NT_PRFPREG 2

#define CLD_TRAPPED 4 /* SIGCHLD's si_code for a ptrace stop */
#define CLONE_UNTRACED 0x00800000 /* clone: no tracer may follow the child */

/* struct user_regs_struct (sys/user.h): the order of GETREGS and PEEKUSR. */
struct user_regs_k {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags,
        rsp, ss, fs_base, gs_base, ds, es, fs, gs;
};
_Static_assert(sizeof(struct user_regs_k) == 27 * 8, "struct user_regs_struct");

/* The kernel's struct user's size (error_code and fault_address after
 * the debug registers), and where its u_debugreg are: PEEKUSR's offsets. */
#define USER_AREA_SIZE 928
#define USER_DEBUGREG_OFFSET 848

/* struct ptrace_syscall_info (linux/ptrace.h), entry or exit. */
struct ptrace_syscall_info_k {
    uint8_t op, pad[3];
    uint32_t arch;
    uint64_t instruction_pointer, stack_pointer;
    union {
        struct { uint64_t nr, args[6]; } entry;
        struct { int64_t rval; uint8_t is_error; } exit;
    };
};
_Static_assert(sizeof(struct ptrace_syscall_info_k) == 80, "struct ptrace_syscall_info");

#endif
