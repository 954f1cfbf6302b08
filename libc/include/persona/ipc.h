/*
 * libc/include/persona/ipc.h - typed IPC for native programs: call,
 * receive, reply, reply-and-receive, over persona_ipc (libc/ipc.S).  Bulk
 * data goes through the calling thread's IPC buffer, ipc_buf().
 */
#ifndef PERSONA_IPC_H
#define PERSONA_IPC_H
#include <persona/syscalls.h>
#include <stddef.h>
#include <stdint.h>

struct ipc_msg {
    uint64_t w[IPC_WORDS];
};

struct ipc_info {
    uint64_t badge; /* who called (the badge of their handle) */
    uint64_t token; /* pass to ipc_reply */
    uint64_t len;   /* bulk bytes in ipc_buf() */
};

long persona_ipc(long nr, long ep, long bulk, uint64_t token, uint64_t words[IPC_WORDS], struct ipc_info *info);

/* The calling thread's IPC buffer (registered on first use); NULL if the
 * kernel refused it. */
void *ipc_buf(void);

static inline long ipc_call(int ep, struct ipc_msg *m, size_t bulk, struct ipc_info *info)
{
    return persona_ipc(SYS_ipc_call, ep, (long)bulk, 0, m->w, info);
}
static inline long ipc_recv(int ep, struct ipc_msg *m, struct ipc_info *info)
{
    return persona_ipc(SYS_ipc_recv, ep, 0, 0, m->w, info);
}
static inline long ipc_reply(int ep, uint64_t token, struct ipc_msg *m, size_t bulk)
{
    return persona_ipc(SYS_ipc_reply, ep, (long)bulk, token, m->w, 0);
}
static inline long ipc_reply_recv(int ep, uint64_t token, struct ipc_msg *m, size_t bulk, struct ipc_info *info)
{
    return persona_ipc(SYS_ipc_reply_recv, ep, (long)bulk, token, m->w, info);
}
/* ipc_reply_recv with a reply of two words, w0 w1 (the rest zero), and no
 * bulk data; the message received lands in m.  A server's commonest call,
 * so it is the syscall itself, inline: the words come back in registers
 * (see persona_ipc for their order), and the caller's own registers are
 * saved, if at all, once in its prologue rather than at every call. */
static inline long ipc_answer_recv(int ep, uint64_t token, uint64_t w0, uint64_t w1, struct ipc_msg *m,
                                   struct ipc_info *info)
{
    register uint64_t r10 __asm__("r10") = w1, r8 __asm__("r8") = 0, r9 __asm__("r9") = 0;
    register uint64_t r12 __asm__("r12") = 0, r13 __asm__("r13") = 0, r14 __asm__("r14") = 0;
    register uint64_t r15 __asm__("r15") = 0;
    uint64_t rdi = (uint64_t)ep, rsi = 0, rbx = token, rdx = w0;
    long rax = SYS_ipc_reply_recv;
    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+b"(rbx), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
                       "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
                     :
                     : "rcx", "r11", "memory");
    m->w[0] = rdx, m->w[1] = r10, m->w[2] = r8, m->w[3] = r9;
    m->w[4] = r12, m->w[5] = r13, m->w[6] = r14, m->w[7] = r15;
    if (info)
        info->badge = rdi, info->token = rbx, info->len = rsi;
    return rax;
}

/* The handle named PERSONA_EP_<name> in the environment, or -1. */
int persona_endpoint(const char *name);
/* The device handle (PERSONA_DEV), or -1. */
int persona_device(void);
/* A blob handed over at boot (PERSONA_BLOB_<name>): its address, or NULL. */
const void *persona_blob(const char *name, size_t *len);

#endif
