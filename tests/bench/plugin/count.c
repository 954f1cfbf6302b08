/*
 * tests/bench/plugin/count.c - a QEMU TCG plugin that counts the events an
 * instruction count hides: kernel entries and CR3 writes.
 *
 * Debian's QEMU loads plugins but ships neither plugins nor the API
 * header, so the few declarations this plugin uses are written out below,
 * for the plugin API version 1 of QEMU 7.2.
 *
 * What it counts, guest-wide (the benchmark runs on one vCPU):
 *   insns    instructions executed (an inline add per translation block);
 *   entries  returns to user mode: a block at a user address (below
 *            0x800000000000) entered right after an iretq or sysretq (or
 *            sysretl or sysexit, Linux's returns to 32-bit code).  Each
 *            return to user mode pairs with one entry into the kernel
 *            (syscall, exception or interrupt from user mode);
 *   cr3      executions of mov to %cr3.
 * Markers: the benchmark executes "nopl MAGIC|n(%rax)" (0f 1f 80 disp32)
 * around each timed loop; at each, the plugin prints the counters:
 *   "mark N insns=I entries=E cr3=C".
 * Boot events, printed once each:
 *   "first-user insns=I"   the first user-mode block after the first
 *                           return to user mode: the first instruction of
 *                           the first user program;
 *   "first-idle insns=I"   the first hlt after that: the system has
 *                           nothing to do, e.g. a shell waits at its prompt.
 * Output goes to QEMU's log (-d plugin -D FILE).  Arguments:
 *   stop-at-idle=on  QEMU exits at the first idle after the first user
 *                    instruction;
 *   profile=N        between markers 2N and 2N+1, instructions executed
 *                    per translation block's start address; at marker
 *                    2N+1 the hottest blocks are printed as
 *                    "prof VADDR INSNS" (a profile by address: run.py
 *                    --profile names the functions).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- QEMU plugin API, version 1 (QEMU 7.2) ----------------------------- */
typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* not read here */
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;
/* ----------------------------------------------------------------------- */

#define USER_TOP 0x0000800000000000ull
#define MARK_MAGIC 0x7e5a1a00u

static uint64_t insns, entries, cr3_writes;
static bool exit_pending, seen_user, seen_idle, stop_at_idle;

static void say(const char *fmt, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    char line[160];
    snprintf(line, sizeof line, fmt, a, b, c, d);
    qemu_plugin_outs(line);
}

/* The profile: a block start address's executed instructions, in an
 * open-addressed table; a block translated again reuses its slot. */
#define PROF_SLOTS (1 << 16)
struct prof_slot {
    uint64_t vaddr, insns;
};
struct prof_tb {
    struct prof_slot *slot;
    uint64_t n;
};
static struct prof_slot prof[PROF_SLOTS];
static long prof_mark = -1; /* the N of profile=N, or -1 */
static bool profiling;

static struct prof_slot *prof_slot(uint64_t vaddr)
{
    for (uint64_t h = (vaddr * 0x9e3779b97f4a7c15ull) >> 48, i = 0; i < PROF_SLOTS; i++) {
        struct prof_slot *s = &prof[(h + i) % PROF_SLOTS];
        if (s->vaddr == vaddr || s->vaddr == 0) {
            s->vaddr = vaddr;
            return s;
        }
    }
    return NULL;
}

static void on_prof_block(unsigned int vcpu, void *data)
{
    (void)vcpu;
    struct prof_tb *t = data;
    if (profiling)
        t->slot->insns += t->n;
}

static int by_insns(const void *a, const void *b)
{
    const struct prof_slot *x = a, *y = b;
    return x->insns < y->insns ? 1 : x->insns > y->insns ? -1 : 0;
}

static void prof_report(void)
{
    qsort(prof, PROF_SLOTS, sizeof prof[0], by_insns);
    for (int i = 0; i < 400 && prof[i].insns; i++)
        say("prof %#" PRIx64 " %" PRIu64 "\n", prof[i].vaddr, prof[i].insns, 0, 0);
    memset(prof, 0, sizeof prof); /* the slots moved: the profile is over */
    prof_mark = -1;
}

static void on_exit_insn(unsigned int vcpu, void *data)
{
    (void)vcpu, (void)data;
    exit_pending = true;
}

static void on_user_block(unsigned int vcpu, void *data)
{
    (void)vcpu, (void)data;
    if (!exit_pending)
        return;
    exit_pending = false;
    entries++;
    if (!seen_user) {
        seen_user = true;
        say("first-user insns=%" PRIu64 "\n", insns, 0, 0, 0);
    }
}

static void on_hlt(unsigned int vcpu, void *data)
{
    (void)vcpu, (void)data;
    if (!seen_user || seen_idle)
        return;
    seen_idle = true;
    say("first-idle insns=%" PRIu64 "\n", insns, 0, 0, 0);
    if (stop_at_idle)
        exit(0);
}

static void on_mark(unsigned int vcpu, void *data)
{
    (void)vcpu;
    long n = (long)(uintptr_t)data;
    say("mark %" PRIu64 " insns=%" PRIu64 " entries=%" PRIu64 " cr3=%" PRIu64 "\n", (uintptr_t)data, insns,
        entries, cr3_writes);
    if (prof_mark >= 0 && n == 2 * prof_mark)
        profiling = true;
    else if (prof_mark >= 0 && n == 2 * prof_mark + 1) {
        profiling = false;
        prof_report();
    }
}

/* mov %reg, %cr3: an optional REX prefix, 0f 22, ModRM with reg = 3. */
static bool is_mov_to_cr3(const uint8_t *b, size_t n)
{
    size_t i = (n > 0 && (b[0] & 0xf0) == 0x40) ? 1 : 0;
    return n == i + 3 && b[i] == 0x0f && b[i + 1] == 0x22 && ((b[i + 2] >> 3) & 7) == 3;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
    if (qemu_plugin_tb_vaddr(tb) < USER_TOP)
        qemu_plugin_register_vcpu_tb_exec_cb(tb, on_user_block, QEMU_PLUGIN_CB_NO_REGS, NULL);
    struct prof_slot *slot = prof_mark >= 0 ? prof_slot(qemu_plugin_tb_vaddr(tb)) : NULL;
    struct prof_tb *t = slot ? malloc(sizeof *t) : NULL;
    if (t) {
        *t = (struct prof_tb){slot, n};
        qemu_plugin_register_vcpu_tb_exec_cb(tb, on_prof_block, QEMU_PLUGIN_CB_NO_REGS, t);
    }
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        const uint8_t *b = qemu_plugin_insn_data(insn);
        size_t len = qemu_plugin_insn_size(insn);
        if ((len == 2 && b[0] == 0x48 && b[1] == 0xcf) ||                  /* iretq */
            (len == 3 && b[0] == 0x48 && b[1] == 0x0f && b[2] == 0x07) ||  /* sysretq */
            (len == 2 && b[0] == 0x0f && (b[1] == 0x07 || b[1] == 0x35)))  /* sysretl, sysexit: to 32-bit code */
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exit_insn, QEMU_PLUGIN_CB_NO_REGS, NULL);
        else if (len == 1 && b[0] == 0xf4) /* hlt */
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_hlt, QEMU_PLUGIN_CB_NO_REGS, NULL);
        else if (is_mov_to_cr3(b, len))
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &cr3_writes, 1);
        else if (len == 7 && b[0] == 0x0f && b[1] == 0x1f && b[2] == 0x80) {
            uint32_t disp;
            memcpy(&disp, b + 3, 4);
            if ((disp & 0xffffff00u) == MARK_MAGIC)
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
                                                       (void *)(uintptr_t)(disp & 0xff));
        }
    }
}

static void on_end(qemu_plugin_id_t id, void *data)
{
    (void)id, (void)data;
    say("total insns=%" PRIu64 " entries=%" PRIu64 " cr3=%" PRIu64 "\n", insns, entries, cr3_writes, 0);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "stop-at-idle=on") == 0)
            stop_at_idle = true;
        else if (strncmp(argv[i], "profile=", 8) == 0)
            prof_mark = strtol(argv[i] + 8, NULL, 0);
        else {
            fprintf(stderr, "count plugin: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_end, NULL);
    return 0;
}
