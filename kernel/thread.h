/*
 * kernel/thread.h - a thread: saved registers (the trap frame at the top of
 * its kernel stack, the callee-saved context below it, the FPU/SSE state),
 * a scheduling state and priority, and its IPC state.  Interrupts disabled
 * is the lock.
 * Book: docs/objects.md.
 */
#ifndef PERSONA_THREAD_H
#define PERSONA_THREAD_H
#include "list.h"
#include "object.h"
#include "trap.h"
#include <persona/abi.h>
#include <stdbool.h>
#include <stdint.h>

#define KSTACK_SIZE 16384
#define PRIO_LEVELS 128 /* sched.h's runq_bits: two words */

enum thread_state {
    TS_READY,      /* running or on a run queue */
    TS_SEND,       /* queued on an endpoint, waiting for a receiver */
    TS_RECV,       /* waiting on an endpoint for a message */
    TS_REPLY,      /* received by a server, waiting for its reply */
    TS_NOTIF,      /* waiting on a notification */
    TS_SLEEP,      /* waiting for a deadline */
    TS_SUSPENDED,  /* created, waiting for thread_resume */
    TS_DEAD,
};

struct endpoint;
struct ipc_msg;
struct notif;
struct task;

struct thread {
    struct kobject obj;
    struct task *task;
    struct list task_link;
    enum thread_state state;
    int prio;
    int quantum;  /* timer ticks left of its turn */
    int slice;    /* a fresh turn's ticks (thread_prio; 0: QUANTUM_TICKS) */
    bool fifo;    /* no time slice (THREAD_FIFO) */
    struct list sched_link;    /* run queue, endpoint queue, or sleep list */
    uint64_t wake_at;          /* TS_SLEEP: when, on timer_ns's clock */
    void *kstack;
    uint64_t kctx;             /* saved kernel rsp while switched out */
    struct trap_frame *frame;  /* user registers */
    bool full_restore;         /* leave through iretq (registers were set) */
    bool interrupt_pending;    /* thread_interrupt: trap to the personality before user mode */
    uint64_t fs_base, gs_base;
    struct {                   /* compatibility mode and TLS descriptors (seg.c) */
        bool on;               /* 32-bit code or TLS descriptors: switches load them */
        uint16_t fs, gs;       /* its selectors, while switched out */
        uint64_t tls[3];
    } seg;
    uint8_t fpu[512] __attribute__((aligned(16)));
    struct persona_debug debug; /* its hardware breakpoints (debugreg.c); dr7 0: none */
    bool notsc;                 /* its rdtsc faults (debugreg.c) */
    uint64_t user_ticks, kernel_ticks; /* timer ticks that found it running */
    /* IPC (endpoint.c) */
    struct endpoint *ep;       /* endpoint this thread is queued on */
    uint64_t badge;            /* badge of the handle used to send */
    uint64_t token;            /* TS_REPLY: token the server replies with */
    void *ipcbuf;              /* pinned IPC buffer frame (direct map), or NULL */
    uint64_t ipcbuf_va;
    struct notif *bound;       /* notification bound to this thread */
    struct notif *waiting;     /* TS_NOTIF: the notification waited on */
    const struct ipc_msg *kmsg; /* TS_SEND: its message (on its kernel stack while it waits) */
    /* Set for a thread whose calls are not its own (a pico thread): the
     * reply, or NULL when the call failed, goes here instead of into its
     * registers.  The hook leaves the thread ready, or kills it. */
    void (*on_reply)(struct thread *th, const struct ipc_msg *reply);
    uint64_t tid;              /* for logs and traces only */
    /* A pico thread's traps (pico.c) */
    struct {
        uint64_t badge;        /* carried in rdi of every trap message */
        uint64_t kind;         /* w0 of the trap being answered: PICO_SYSCALL, a vector ... */
        uint64_t resumed;      /* PICO_TIMED: when it last went back to user mode */
        struct pico_trap trap; /* the general path's bulk data */
    } pico;
};

/* A new thread of t, ready to run (or TS_SUSPENDED if suspended). */
struct thread *thread_create(struct task *t, uint64_t rip, uint64_t rsp, uint64_t arg, int prio, bool suspended);
/* Kills a thread: unlinks it from every queue.  Safe on the current thread
 * (it is reaped after the switch away). */
void thread_kill(struct thread *th);
void thread_destroy(struct thread *th);
void thread_get_regs(const struct thread *th, struct persona_regs *r);
/* Loads a full register set for the next return to user mode; -EINVAL if
 * rip or a segment base is outside the user half. */
int thread_set_regs(struct thread *th, const struct persona_regs *r);
/* Its FPU/SSE state (fxsave format); set refuses reserved MXCSR bits. */
void thread_get_fpu(struct thread *th, void *fx512);
int thread_set_fpu(struct thread *th, const void *fx512);
/* Its segments (seg.c): compatibility mode, TLS descriptors, FS and GS
 * selectors; set refuses compatibility mode with rip or rsp above 4 GiB. */
void thread_get_segs(const struct thread *th, struct persona_segs *s);
int thread_set_segs(struct thread *th, const struct persona_segs *s);
/* Its hardware breakpoints (debugreg.c): set refuses an address outside
 * the user half, or a DR7 with bits past the four breakpoints' enables,
 * lengths and kinds, or an I/O kind. */
void thread_get_debug(const struct thread *th, struct persona_debug *d);
int thread_set_debug(struct thread *th, const struct persona_debug *d);
/* Whether its rdtsc faults (on: 1) or runs (0); else EINVAL. */
int thread_set_notsc(struct thread *th, uint64_t on);
/* Loads next's breakpoints and its CR4.TSD at a switch, when they
 * change (sched.h). */
void thread_switch_debug(const struct thread *next);
/* A #DB: DR6 as the processor set it (then reset), and RF set in f when
 * an instruction breakpoint was hit, so the instruction runs on return. */
uint64_t thread_debug_trap(struct trap_frame *f);
/* The segments a switch loads, when either thread is on (sched.h). */
void thread_switch_segs(struct thread *prev, struct thread *next);
/* Exception from user mode (trap.c): pico threads forward, native ones die. */
void thread_user_exception(struct trap_frame *f);
/* The initial FPU state, captured at boot. */
void thread_init(void);

static inline struct thread *current(void);
#include "cpu.h"
static inline struct thread *current(void) { return cpu0.current; }

#endif
