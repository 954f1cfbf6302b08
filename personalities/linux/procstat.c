/*
 * personalities/linux/procstat.c - a process's figures as /proc shows
 * them: its live threads, its address space's size, what of it is in
 * memory (the kernel's count of its task's pages), its text and data as
 * statm counts them, and the signals it ignores or catches.
 *
 * Entry points: procfs.h ("figures").  Callers: procfs.c.  Layer: proc,
 * read only.  Book: docs/linux.md, "/proc".
 */
#include "procfs.h"
#include "proc.h"

int proc_threads(struct proc *g)
{
    int n = proc_live_threads(g);
    return n ? n : 1;
}

uint64_t proc_vsize(struct proc *p)
{
    return p->zombie ? 0 : p->mm->total_vm; /* mm_account's total */
}

/* What of the process is in memory (its task's pages, task_mem), in
 * bytes; shared: of them, its shared memory.  Nothing for a zombie. */
uint64_t proc_resident(struct proc *p, uint64_t *shared)
{
    struct persona_taskmem m = {0, 0};
    if (!p->zombie)
        sys_stats(STATS_TASK_MEM, p->task, &m, sizeof m);
    if (shared)
        *shared = m.shared_bytes;
    return m.resident_bytes;
}

/* The bytes of its areas that hold its program (text), and of the private
 * writable ones (data, with the stack), as statm counts them. */
void proc_text_data(struct proc *p, uint64_t *text, uint64_t *data)
{
    *text = *data = 0;
    for (struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next)
        if (v->file && (v->prot & PROT_EXEC))
            *text += v->end - v->start;
        else if ((v->prot & PROT_WRITE) && !v->shm_id && !v->file_shared)
            *data += v->end - v->start;
}

uint64_t proc_sigset(struct proc *p, uint64_t handler_is_ign)
{
    uint64_t set = 0;
    for (int sig = 1; sig <= LINUX_NSIG && !p->zombie; sig++) {
        uint64_t h = p->sig.actions[sig][0];
        if (handler_is_ign ? h == SIG_IGN : h > SIG_IGN)
            set |= 1ull << (sig - 1);
    }
    return set;
}
