/*
 * personalities/linux/linux.h - what the whole Linux personality server
 * shares: the context a syscall handler runs in, the replies, and copies
 * to and from the memory of the calling process.
 *
 * The server is single-threaded: one loop (main.c) receives every trap of
 * every Linux task and calls the handler the syscall table (generated from
 * syscalls.def) names.  A handler that must wait (wait4, a read that
 * blocks) keeps the reply token and answers later; every reply goes
 * through linux_reply or linux_answer.  The only other thread reads the
 * console (tty.c) and touches none of the server's state.
 *
 * Entry points: linux_reply, linux_answer (the replies), mem_in, mem_out,
 * mem_str (user memory), all main.c's.  Each subsystem has its own
 * header; this one and uapi.h are the bottom layer, which every file
 * includes.  Book: docs/linux.md, "How a Linux
 * system call runs".
 */
#ifndef LINUX_H
#define LINUX_H
#include "trace.h"
#include "uapi.h"
#include <persona/ipc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct scm;

/* What a syscall handler sees. */
struct sys_ctx {
    struct proc *p;
    uint64_t token;           /* to reply later */
    const struct pico_trap *trap;
    uint64_t *a;              /* rdi rsi rdx r10 r8 r9: the message's words 2..7 */
    bool deferred;            /* the handler keeps the token */
    bool no_reply;            /* the thread is gone (exit, execve) */
    struct scm *scm;          /* sendmsg/recvmsg: descriptors passed (sockmsg.c) */
    struct mmsg_state *mmsg;  /* sendmmsg/recvmmsg: the message a stream's move is (sockmsg.c) */
    bool i386;                /* an i386 call (int 0x80): its pointers and longs are 32 bits */
};

/* A handler is static in its file, typed as syscalls.def lists its
 * arguments:
 *     static int64_t sys_<name>(struct sys_ctx *c, <its arguments>);
 * the file includes build/gen/linux_entries/<file>.h, with the prototypes
 * and entry_<name>, a linux_handler that unpacks c->a for it: the table
 * (main.c) holds the entries. */
typedef int64_t (*linux_handler)(struct sys_ctx *c);

extern int linux_ep;
extern int linux_power;
/* The kernel release and version uname and /proc/version report. */
#define LINUX_RELEASE "6.1.0-persona"
#define LINUX_VERSION "#1 SMP PREEMPT_DYNAMIC Persona"
/* uname's node and domain names (sys.c; /proc/sys/kernel shows them). */
extern char linux_hostname[], linux_domainname[];
/* The kernel command line the server was given (main.c; /proc/cmdline). */
extern const char *linux_cmdline;
/* The server's name, its module's (argv[0]): "linux", or another instance's
 * (main.c; klog's lines say it). */
extern const char *linux_name;

/* Every reply to a Linux thread goes through here (main.c): one without
 * bulk data carries only its first two words, and may wait to leave with
 * the next receive. */
void linux_reply(uint64_t token, const struct ipc_msg *m, size_t bulk);
/* One reply without bulk data waits in the outbox and leaves with the
 * next receive (reply-and-receive: one kernel entry, and the kernel
 * switches straight to the process it resumes).  A reply with bulk data,
 * which lives in the IPC buffer, or a second reply, goes at once. */
extern struct linux_outbox {
    bool full;
    uint64_t token, action, value;
} linux_outbox;
void linux_answer_now(uint64_t token, uint64_t action, uint64_t value);
/* A reply of two words, the action and its value (PICO_RESUME and rax). */
static inline void linux_answer(uint64_t token, uint64_t action, uint64_t value)
{
    if (linux_outbox.full) {
        linux_answer_now(token, action, value);
        return;
    }
    linux_outbox = (struct linux_outbox){true, token, action, value}; /* traced when sent (main.c) */
}

/* User memory of a process: pages not touched yet are mapped first; a bad
 * address is -EFAULT. */
int mem_in(struct proc *p, void *dst, uint64_t va, size_t n);
int mem_out(struct proc *p, uint64_t va, const void *src, size_t n);
/* mem_out even where the process may not write (ptrace's POKE,
 * /proc/PID/mem, a program's image: Linux's FOLL_FORCE). */
int mem_out_force(struct proc *p, uint64_t va, const void *src, size_t n);
/* A NUL-terminated string from user memory; -EFAULT, -ENAMETOOLONG. */
int mem_str(struct proc *p, uint64_t va, char *buf, size_t size);
/* Whether n bytes of user memory are all zeros (what a struct's caller
 * knows past the fields the call does: clone3's, openat2's): 0, 1 if
 * one is not, -EFAULT. */
int mem_zeros(struct proc *p, uint64_t va, uint64_t n);
/* The number after word (e.g. "loglevel=") among the words of the kernel
 * command line before "--", or 0 (main.c). */
unsigned cmdline_number(const char *cmdline, const char *word);

extern uint64_t linux_messages; /* messages the server has received */

#endif
