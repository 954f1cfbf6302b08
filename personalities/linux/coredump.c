/*
 * personalities/linux/coredump.c - core files: when a signal whose default
 * action dumps core (SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
 * SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS) ends a process, an ELF core file
 * named by kernel/core_pattern ("core", %p and kin expanded: core_name)
 * is written in its working directory, so that gdb can show where it
 * died (a pattern with a '/' or a '|' pipe writes none here):
 *
 *     ELF header (ET_CORE) | program headers | notes | each mapping's pages
 *
 * The notes are Linux's: NT_PRSTATUS for each thread (the one the signal
 * ended first: its registers, signal and ids), NT_PRPSINFO (the name and
 * arguments), NT_SIGINFO and NT_AUXV.  A PT_LOAD for each readable
 * mapping holds the pages the process's coredump_filter chooses, as
 * Linux's (dumped_size: by default anonymous memory, private and shared,
 * and the first page of each ELF file mapped; a file's mappings are left
 * to the file); a page never touched is a hole of the sparse file.
 *
 * As Linux: nothing is written when RLIMIT_CORE is 0 or the process is not
 * dumpable (PR_SET_DUMPABLE 0, a set-user-ID program), nor over a "core"
 * that is not a regular file of the process's own with one link; the file
 * is written with the process's file-system ids, mode 0600, and stops at
 * RLIMIT_CORE bytes.  The wait status then has the core bit (WCOREDUMP).
 *
 * Entry point: core_dump (signal.c).  Layer: above proc.h, mm.h and fs.h.
 * Book: docs/linux.md, "Signals".
 */
#include "mm.h"
#include "proc.h"
#include "sysctl.h"
#include "time.h"
#include <persona/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELF_ET_CORE 4
#define ELF_PT_NOTE 4
#define NT_PRSTATUS 1
#define NT_PRPSINFO 3
#define NT_AUXV 6
#define NT_SIGINFO 0x53494749

/* Linux's struct elf_prstatus and elf_prpsinfo on x86-64 (linux/elfcore.h),
 * with user_regs_struct's order of the registers (asm/user.h). */
struct elf_prstatus {
    int32_t si_signo, si_code, si_errno;
    int16_t cursig;
    uint64_t sigpend, sighold;
    int32_t pid, ppid, pgrp, sid;
    int64_t utime[2], stime[2], cutime[2], cstime[2];
    uint64_t regs[27];
    int32_t fpvalid;
};
_Static_assert(sizeof(struct elf_prstatus) == 336, "elf_prstatus");

struct elf_prpsinfo {
    char state, sname, zomb, nice;
    uint64_t flag;
    uint32_t uid, gid;
    int32_t pid, ppid, pgrp, sid;
    char fname[16];
    char psargs[80];
};
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo");

bool core_signal(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV: case SIGXCPU:
    case SIGXFSZ: case SIGSYS: return true;
    }
    return false;
}

/* The file being written: stops quietly at the limit, as Linux's does. */
struct core_out {
    struct inode *ino;
    uint64_t pos, limit;
    int err;
};

static void put(struct core_out *o, const void *buf, size_t n)
{
    if (o->err || o->pos >= o->limit)
        return;
    size_t k = o->limit - o->pos < n ? (size_t)(o->limit - o->pos) : n;
    int r = fs_write(o->ino, o->pos, buf, k); /* the bytes written, or -errno */
    if (r != (int)k)
        o->err = r < 0 ? r : -LINUX_ENOSPC;
    o->pos += n;
}

/* A note: its header, "CORE" and the descriptor, each padded to 4 bytes. */
static void note(struct core_out *o, uint32_t type, const void *desc, uint32_t size)
{
    uint32_t h[3] = {5, size, type};
    static const char zero[4];
    put(o, h, sizeof h);
    put(o, "CORE\0\0\0", 8);
    put(o, desc, size);
    put(o, zero, (4 - size % 4) % 4);
}

static uint32_t note_size(uint32_t desc) { return 12 + 8 + (desc + 3) / 4 * 4; }

/* What a mapping puts in the file, as Linux's vma_dump_size chooses by
 * the process's coredump_filter: the vDSO always; a shared mapping if
 * its bit allows (anonymous: MAP_SHARED of no file, or of a file with no
 * name left; else a file's); a private one the process may have written
 * (anonymous, or writable) if anonymous private memory is dumped; a
 * file's private mapping if that is; else, with ELF headers dumped, the
 * first page of a file's mapping from its start that holds an ELF
 * header.  An unreadable mapping puts nothing. */
#define DUMP_ANON_PRIVATE 0x1u
#define DUMP_ANON_SHARED 0x2u
#define DUMP_MAPPED_PRIVATE 0x4u
#define DUMP_MAPPED_SHARED 0x8u
#define DUMP_ELF_HEADERS 0x10u
static uint64_t dumped_size(const struct vma *v, uint32_t filter)
{
    uint64_t whole = v->end - v->start;
    if (v->vdso)
        return whole;
    if (!(v->prot & PROT_READ))
        return 0;
    if (v->shm_id || v->file_shared)
        return filter & (v->shm_id || !v->file->nlink ? DUMP_ANON_SHARED : DUMP_MAPPED_SHARED) ? whole : 0;
    if ((!v->file || (v->prot & PROT_WRITE)) && (filter & DUMP_ANON_PRIVATE))
        return whole;
    if (!v->file)
        return 0;
    if (filter & DUMP_MAPPED_PRIVATE)
        return whole;
    char magic[4];
    if ((filter & DUMP_ELF_HEADERS) && v->file_off == 0 &&
        ((v->file->mode & 0111) || (fs_read(v->file, 0, magic, 4) == 4 && memcmp(magic, "\x7f" "ELF", 4) == 0)))
        return 4096;
    return 0;
}

static void prstatus(struct proc *t, struct proc *g, int sig, const struct siginfo_k *info, struct elf_prstatus *s)
{
    memset(s, 0, sizeof *s);
    s->si_signo = sig, s->si_code = info->code, s->cursig = (int16_t)sig;
    s->sigpend = t->sig.own.pending, s->sighold = t->sig.mask;
    s->pid = t->pid, s->ppid = g->ppid, s->pgrp = g->pgid, s->sid = g->sid;
    struct persona_regs regs_now, *r = &regs_now; /* not the IPC buffer: a call may be using it */
    if (sys_thread_regs(t->thread, REGS_GET, r) < 0)
        return;
    uint64_t regs[27] = {r->r15, r->r14, r->r13, r->r12, r->rbp, r->rbx, r->r11, r->r10, r->r9,
                         r->r8,  r->rax, r->rcx, r->rdx, r->rsi, r->rdi, (uint64_t)-1, r->rip, 0x33,
                         r->rflags, r->rsp, 0x2b, r->fs_base, r->gs_base, 0, 0, 0, 0};
    memcpy(s->regs, regs, sizeof regs);
}

/* kernel/core_pattern expanded for t ended by sig, as Linux's
 * format_corename (%% %p %P %i %I %u %g %s %t %h %e %c %d; core_uses_pid
 * adds ".PID" when %p is not there) into out: false when the name is not
 * one in the working directory (a '/' or a '|' pipe, which this does not
 * do), or too long. */
static bool core_name(struct proc *t, int sig, char *out, size_t size)
{
    struct proc *g = proc_group(t);
    const char *pat = sysctl_core_pattern;
    size_t k = 0;
    bool pid_seen = false;
    for (; *pat && k < size; pat++) {
        if (*pat != '%' || !pat[1]) {
            out[k++] = *pat;
            continue;
        }
        char c = *++pat;
        int64_t v = c == 'p' || c == 'P' ? g->pid : c == 'i' || c == 'I' ? t->pid : c == 'u' ? (int64_t)t->cred.uid
                  : c == 'g' ? (int64_t)t->cred.gid : c == 's' ? sig : c == 'd' ? !g->undumpable
                  : c == 't' ? realtime_ns() / 1000000000 : -1;
        pid_seen |= c == 'p';
        if (v >= 0)
            k += (size_t)snprintf(out + k, size - k, "%lld", (long long)v);
        else if (c == 'c') /* RLIMIT_CORE: its number, or "18446744073709551615" unlimited */
            k += (size_t)snprintf(out + k, size - k, "%llu", (unsigned long long)g->rlim[RLIMIT_CORE][0]);
        else if (c == 'e' || c == 'h')
            k += (size_t)snprintf(out + k, size - k, "%s", c == 'e' ? g->comm : ns_of(g, NS_UTS)->host);
        else if (c == '%')
            out[k++] = '%';
    }
    if (k < size && sysctl_core_uses_pid && !pid_seen)
        k += (size_t)snprintf(out + k, size - k, ".%d", g->pid);
    if (k >= size)
        return false;
    out[k] = '\0';
    return k && !strchr(out, '/') && sysctl_core_pattern[0] != '|';
}

/* The core file in the process's working directory, new or emptied: the
 * inode, or NULL when Linux would write none there. */
static struct inode *core_file(struct proc *p, const char *name)
{
    struct inode *ino = fs_dir_find(p->cwd, name, strlen(name));
    if (ino) {
        if ((ino->mode & S_IFMT) != S_IFREG || ino->nlink != 1 || ino->uid != p->cred.fsuid ||
            fs_permission(ino, MAY_WRITE) < 0 || fs_truncate(ino, 0) < 0)
            return NULL;
        return ino;
    }
    if (fs_permission(p->cwd, MAY_WRITE | MAY_EXEC) < 0 || fs_create(p->cwd, name, S_IFREG | 0600, &ino) < 0)
        return NULL;
    return ino;
}

bool core_dump(struct proc *t, int sig, const struct siginfo_k *info)
{
    struct proc *g = proc_group(t);
    uint64_t limit = g->rlim[RLIMIT_CORE][0];
    if (!limit || g->undumpable || g->vfork.shared || !t->cwd)
        return false;
    char name[256];
    if (!core_name(t, sig, name, sizeof name))
        return false;
    const struct cred *saved = fs_cred;
    struct ns *saved_ns = fs_mnt_ns;
    fs_cred = &t->cred, fs_mnt_ns = t->ns[NS_MNT]; /* the file is the process's, whoever sent the signal */
    struct core_out o = {core_file(t, name), 0, limit, 0};
    if (!o.ino) {
        fs_cred = saved, fs_mnt_ns = saved_ns;
        return false;
    }

    /* the sizes first: the notes, then each mapping's place in the file */
    int nthreads = 0, nvmas = 0;
    for (struct proc *p = proc_list(); p; p = p->next)
        nthreads += proc_group(p) == g && !p->zombie;
    for (const struct vma *v = g->mm->vmas; v; v = v->next)
        nvmas++;
    uint32_t notes = note_size(sizeof(struct elf_prstatus)) * (uint32_t)nthreads +
                     note_size(sizeof(struct elf_prpsinfo)) + note_size(sizeof *info) +
                     note_size((uint32_t)g->mm->auxv_len * 8);
    uint64_t phoff = sizeof(struct elf_hdr), notes_at = phoff + (uint64_t)(nvmas + 1) * sizeof(struct elf_phdr);
    uint64_t data = (notes_at + notes + 4095) & ~4095ull;

    struct elf_hdr h = {{0x7f, 'E', 'L', 'F', 2, 1, 1}, ELF_ET_CORE, ELF_EM_X86_64, 1, 0, phoff, 0, 0,
                        sizeof h, sizeof(struct elf_phdr), (uint16_t)(nvmas + 1), 0, 0, 0};
    put(&o, &h, sizeof h);
    struct elf_phdr ph = {ELF_PT_NOTE, 0, notes_at, 0, 0, notes, 0, 4};
    put(&o, &ph, sizeof ph);
    uint64_t at = data;
    for (const struct vma *v = g->mm->vmas; v; v = v->next) {
        uint64_t size = dumped_size(v, g->coredump_filter);
        uint32_t flags = (v->prot & PROT_READ ? ELF_PF_R : 0) | (v->prot & PROT_WRITE ? ELF_PF_W : 0) |
                         (v->prot & PROT_EXEC ? ELF_PF_X : 0);
        ph = (struct elf_phdr){ELF_PT_LOAD, flags, at, v->start, 0, size, v->end - v->start, 4096};
        put(&o, &ph, sizeof ph);
        at += size;
    }

    /* the notes: the signalled thread's status first, as gdb takes it for the crash */
    struct elf_prstatus s;
    prstatus(t, g, sig, info, &s);
    note(&o, NT_PRSTATUS, &s, sizeof s);
    struct elf_prpsinfo ps = {'R', 'R', 0, (char)g->nice, 0, t->cred.uid, t->cred.gid, g->pid, g->ppid, g->pgid,
                              g->sid, {0}, {0}};
    memcpy(ps.fname, g->comm, sizeof ps.fname - 1);
    uint64_t n = g->mm->arg_end - g->mm->arg_start; /* the arguments from memory, spaces between them (fill_psinfo) */
    n = n < sizeof ps.psargs - 1 ? n : sizeof ps.psargs - 1;
    if (n && mem_in(g, ps.psargs, g->mm->arg_start, n) < 0)
        memset(ps.psargs, 0, sizeof ps.psargs);
    for (size_t i = 0; i < n; i++)
        ps.psargs[i] = ps.psargs[i] ? ps.psargs[i] : ' ';
    note(&o, NT_PRPSINFO, &ps, sizeof ps);
    note(&o, NT_SIGINFO, info, sizeof *info);
    note(&o, NT_AUXV, g->mm->auxv, (uint32_t)g->mm->auxv_len * 8);
    for (struct proc *p = proc_list(); p; p = p->next)
        if (p != t && proc_group(p) == g && !p->zombie) {
            prstatus(p, g, 0, info, &s);
            note(&o, NT_PRSTATUS, &s, sizeof s);
        }

    /* the pages: those never touched stay holes */
    static char page[4096];
    at = data;
    for (const struct vma *v = g->mm->vmas; v && !o.err; v = v->next) {
        uint64_t size = dumped_size(v, g->coredump_filter);
        for (uint64_t off = 0; off < size && !o.err; off += sizeof page)
            if (sys_mem_read(g->task, v->start + off, page, sizeof page) == 0) {
                o.pos = at + off;
                put(&o, page, sizeof page);
            }
        at += size;
    }
    if (!o.err && at > o.pos && fs_truncate(o.ino, at < limit ? at : limit) < 0)
        o.err = -LINUX_EFBIG;
    fs_modified(o.ino);
    fs_cred = saved, fs_mnt_ns = saved_ns;
    return o.err == 0;
}
