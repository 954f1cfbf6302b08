/*
 * personalities/linux/procsmaps.c - the memory files of /proc/PID made at
 * each read (procpidlive.c): smaps_rollup (the sums of smaps' fields over
 * the areas, under one "[rollup]" line, as Linux 6.1's
 * show_smaps_rollup), numa_maps (an area a line: its NUMA policy, what
 * it maps, and its pages by kind, all on node 0) and clear_refs's
 * writes (Linux's clear_refs_write).
 *
 * The pages are counted as smaps counts them (procpid.c): the pages
 * there are, a private anonymous area's all anonymous and dirty, a
 * file's or shared memory's clean (numa_maps takes a private file
 * mapping that may be written as anonymous, as pagemap does).  No
 * page is weighed by its sharing (Pss is Rss: a fork's pages are each
 * process's own here).
 *
 * clear_refs: 1 to 3 (the referenced bits of every page, the anonymous
 * ones, the file's) take the write and change nothing shown: the server
 * does not see the processor's accessed bits, so smaps' Referenced stays
 * the resident size.  4 (soft-dirty) takes the write and does nothing,
 * as Linux built without CONFIG_MEM_SOFT_DIRTY: pagemap never shows bit
 * 55.  Seeing the next write of a page would take write-protecting every
 * page at the clear and a fault's round trip to the server at the next
 * write of each (the way copy-on-write's pages are made); not built.
 * 5 resets the high-water mark of the resident set (status's VmHWM) to
 * the resident set now.
 *
 * Entry points: procsmaps_text, procsmaps_clear_refs (procfs.h).
 * Callers: procpidlive.c.  Layer: procfs, over mm.  Book: docs/linux.md,
 * "/proc".
 */
#include "proc.h"
#include "procfs.h"
#include "sysvipc.h"
#include <stdio.h>
#include <string.h>

enum { MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, MPOL_PREFERRED_MANY };
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_MODE_FLAGS (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)

/* An area's resident kilobytes, and whether its pages are anonymous (a
 * private area's with no file, or a private file mapping's that may be
 * written) or shared memory's. */
static uint64_t area_rss(struct proc *g, const struct vma *v)
{
    uint64_t kb = 0;
    for (uint64_t a = v->start; a < v->end; a += 4096)
        kb += mm_present(g, a) ? 4 : 0;
    return kb;
}

static bool area_anon(const struct vma *v) { return !v->file && !v->shm_id && !v->vdso; }

static bool area_file_pages(const struct vma *v)
{
    return v->file_shared || v->shm_id || v->vdso || (v->file && !(v->prot & PROT_WRITE));
}

/* smaps_rollup */
static void rollup_text(struct proc *g)
{
    enum { RSS, PSS_ANON, PSS_FILE, PSS_SHMEM, CLEAN, LOCKED, N };
    uint64_t sum[N] = {0}, first = 0, last = 0;
    for (struct vma *v = g->zombie ? NULL : g->mm->vmas; v; v = v->next) {
        uint64_t kb = area_rss(g, v);
        first = first ? first : v->start, last = v->end;
        sum[RSS] += kb;
        sum[area_anon(v) ? PSS_ANON : v->shm_id ? PSS_SHMEM : PSS_FILE] += kb;
        sum[CLEAN] += area_anon(v) ? 0 : kb;
        sum[LOCKED] += v->locked ? kb : 0;
    }
    if (g->zombie)
        return;
    char head[128];
    int n = snprintf(head, sizeof head, "%08lx-%08lx ---p 00000000 00:00 0", (unsigned long)first, (unsigned long)last);
    procpidlive_put("%s%*s [rollup]\n", head, n < 72 ? 72 - n : 0, "");
    uint64_t anon = sum[PSS_ANON];
    const uint64_t value[] = {sum[RSS], sum[RSS], anon, anon, sum[PSS_FILE], sum[PSS_SHMEM], 0, 0, sum[CLEAN], anon,
                              sum[RSS], anon, 0, 0, 0, 0, 0, 0, 0, 0, sum[LOCKED]};
    static const char *const fields[] = {"Rss", "Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem",
                                         "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
                                         "Referenced", "Anonymous", "LazyFree", "AnonHugePages", "ShmemPmdMapped",
                                         "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss",
                                         "Locked"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        procpidlive_put("%s:%*s%8lu kB\n", fields[i], (int)(15 - strlen(fields[i])), "", (unsigned long)value[i]);
}

/* A policy as Linux's mpol_to_str writes it: its mode, "=" and its
 * flags, ":" and its nodes as a list. */
static void policy_text(const struct mpol *pol, char *out, size_t size)
{
    static const char *const modes[] = {"default", "prefer", "bind", "interleave", "local", "prefer (many)"};
    int mode = pol->set ? pol->mode & ~MPOL_MODE_FLAGS : MPOL_DEFAULT, flags = pol->set ? pol->mode & MPOL_MODE_FLAGS : 0;
    size_t at = (size_t)snprintf(out, size, "%s", mode >= 0 && mode <= MPOL_PREFERRED_MANY ? modes[mode] : "unknown");
    if (flags && at < size) {
        at += (size_t)snprintf(out + at, size - at, "=%s%s%s",
                               flags & MPOL_F_STATIC_NODES ? "static" : flags & MPOL_F_RELATIVE_NODES ? "relative" : "",
                               (flags & MPOL_F_NUMA_BALANCING) && (flags & (flags - 1)) ? "|" : "",
                               flags & MPOL_F_NUMA_BALANCING ? "balancing" : "");
    }
    uint64_t nodes = mode == MPOL_DEFAULT || mode == MPOL_LOCAL ? 0 : pol->nodes;
    for (int b = 0; b < 64 && at < size; b++) {
        if (!(nodes >> b & 1) || (b && nodes >> (b - 1) & 1))
            continue;
        int e = b;
        while (e < 63 && nodes >> (e + 1) & 1)
            e++;
        at += (size_t)snprintf(out + at, size - at, e > b ? "%c%d-%d" : "%c%d", nodes & ((1ull << b) - 1) ? ',' : ':', b, e);
    }
}

/* A path as Linux's seq_file_path(m, file, "\\n\\t= ") writes it: those
 * four characters as octal escapes. */
static void escaped_path(const char *path)
{
    procpidlive_put(" file=");
    for (const char *c = path; *c; c++)
        if (strchr("\n\t= ", *c))
            procpidlive_put("\\%03o", (unsigned char)*c);
        else
            procpidlive_put("%c", *c);
}

/* numa_maps (Linux's show_numa_map): the area's start and policy (the
 * area's own, else the thread's), its file, heap or stack, then the
 * pages there are on node 0, of 4 kB: a private area's anonymous and
 * dirty, shared memory's dirty, none of them on the active list yet (as
 * new pages); a file's mapped, all active. */
static void numa_text(struct proc *t)
{
    struct proc *g = proc_group(t);
    for (struct vma *v = g->zombie ? NULL : g->mm->vmas; v; v = v->next) {
        char pol[64], path[PATH_MAX_LEN];
        policy_text(v->mpol.set ? &v->mpol : &t->mpol, pol, sizeof pol);
        procpidlive_put("%08lx %s", (unsigned long)v->start, pol);
        if (v->file && (shm_name(v->file, path, sizeof path) || mm_anon_name(v->file, path, sizeof path) ||
                        fs_name_of(v->file, NULL, path, sizeof path) >= 0))
            escaped_path(path);
        else if (v->start <= g->mm->brk && v->end >= g->mm->brk_start && !v->file && !v->shm_id)
            procpidlive_put(" heap");
        else if (v->grows_down)
            procpidlive_put(" stack");
        uint64_t pages = area_rss(g, v) / 4, anon = area_file_pages(v) ? 0 : pages;
        uint64_t dirty = anon ? anon : v->shm_id ? pages : 0, active = anon || v->shm_id ? 0 : pages;
        if (pages) {
            if (anon)
                procpidlive_put(" anon=%lu", (unsigned long)anon);
            if (dirty)
                procpidlive_put(" dirty=%lu", (unsigned long)dirty);
            if (pages != anon && pages != dirty)
                procpidlive_put(" mapped=%lu", (unsigned long)pages);
            if (active < pages)
                procpidlive_put(" active=%lu", (unsigned long)active);
            procpidlive_put(" N0=%lu kernelpagesize_kB=4", (unsigned long)pages);
        }
        procpidlive_put("\n");
    }
}

void procsmaps_text(struct proc *t, const char *name)
{
    if (!strcmp(name, "smaps_rollup"))
        rollup_text(proc_group(t));
    else if (!strcmp(name, "numa_maps"))
        numa_text(t);
}

enum { CLEAR_REFS_ALL = 1, CLEAR_REFS_SOFT_DIRTY = 4, CLEAR_REFS_MM_HIWATER_RSS = 5, CLEAR_REFS_LAST = 6 };

int procsmaps_clear_refs(struct proc *t, char *text)
{
    int type, r = procpid_kstrtoint(procpid_strip(text), 10, &type);
    if (r < 0)
        return r;
    if (type < CLEAR_REFS_ALL || type >= CLEAR_REFS_LAST)
        return -LINUX_EINVAL;
    if (!t)
        return -LINUX_ESRCH;
    struct proc *g = proc_group(t);
    if (!g->zombie && type == CLEAR_REFS_MM_HIWATER_RSS) {
        g->mm->hiwater = 0;
        mm_rss(g); /* the mark is what is resident now */
    }
    return 0;
}
