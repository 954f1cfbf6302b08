/*
 * personalities/linux/sysvshm.c - System V shared memory: shmget, shmat,
 * shmdt, shmctl.  A segment is what Linux makes it, a file with no name:
 * an inode of tmpfs's (fs_new_unnamed) as long as the segment, whose
 * pages come at first touch from tmpfs's pool; shmat maps it MAP_SHARED
 * (mm_map), so that every attachment, in any process and after a fork,
 * maps the very frames, as a shared mapping of a /dev/shm file does.
 * The attachments are the areas that map the inode, counted in the
 * process table when asked (shm_nattch), so a fork, an exec, an exit or a
 * munmap changes the count with nothing to keep in step.  IPC_RMID takes
 * the key away and marks the segment SHM_DEST; it goes with its last
 * attachment (shm_collect, after each of those).
 *
 * Entry points: the calls; shm_collect, shm_name and shm_proc_text
 * (sysvipc.h).
 * Layer: above proc.h and mm.h.  Book: docs/linux.md, "Inter-process
 * communication".
 */
#include "sysctl.h"
#include "sysvipc.h"
#include "proc.h"
#include <stdio.h>
#include <stdlib.h>
#include "linux_entries/sysvshm.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull

struct shm_seg {
    struct ipc_obj o;
    uint64_t size;
    struct inode *ino;  /* the pages */
    int64_t atime, dtime;
    int cpid, lpid;
    int32_t made_key;   /* its key at shmget: its file's name, /SYSV<key> */
    uint64_t charged;   /* the bytes committed for it (overcommit.c), given back when it goes */
    struct shm_seg *orphan_next; /* on the orphans' list: its namespace went while it was attached */
};

/* Segments whose IPC namespace went while they were attached: each goes
 * at its last detach, as Linux's orphans do. */
static struct shm_seg *orphans;

#define shm_ids (ipc_cur->shm_ids) /* the caller's namespace's */
#define shm_pages (ipc_cur->shm_tot)
/* Linux's internal shm mount, where a segment's file is. */
static struct fs shmfs = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};

static struct shm_seg *seg_of(struct ipc_obj *o) { return (struct shm_seg *)o; }

/* The areas that map s, in every memory map: threads and a vfork child
 * use another's (their mm is not their own_mm) and are not counted again. */
static uint64_t shm_nattch(const struct shm_seg *s)
{
    uint64_t n = 0;
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->mm == &p->own_mm)
            for (const struct vma *v = p->mm->vmas; v; v = v->next)
                n += v->file == s->ino;
    return n;
}

/* Its pages and record go (its inode once no area names it). */
static void seg_free(struct shm_seg *s)
{
    mm_charge(-(int64_t)s->charged);
    s->ino->refs = 0;
    fs_release(s->ino);
    free(s);
}

static void shm_destroy(struct shm_seg *s)
{
    ipc_remove(&shm_ids, &s->o);
    shm_pages -= (s->size + PAGE - 1) / PAGE;
    seg_free(s); /* its pages go now; the inode once no area names it (fs_sweep) */
}

void shm_ns_free(void)
{
    for (int i = 0; i < shm_ids.cap; i++)
        if (shm_ids.slot[i])
            shm_ids.slot[i]->mode |= SHM_DEST;
    shm_collect();
    for (int i = 0; i < shm_ids.cap; i++) { /* an attached one lives on, unnamed, until its last detach */
        struct shm_seg *s = shm_ids.slot[i] ? seg_of(shm_ids.slot[i]) : NULL;
        if (s) {
            ipc_remove(&shm_ids, &s->o);
            s->orphan_next = orphans, orphans = s;
        }
    }
}

void shm_collect(void)
{
    for (struct shm_seg **ps = &orphans, *s; (s = *ps);)
        if (shm_nattch(s)) {
            ps = &s->orphan_next;
        } else {
            *ps = s->orphan_next;
            seg_free(s);
        }
    for (int i = 0; i < shm_ids.cap; i++) {
        struct shm_seg *s = seg_of(shm_ids.slot[i] ? shm_ids.slot[i] : NULL);
        if (s && (s->o.mode & SHM_DEST) && !shm_nattch(s))
            shm_destroy(s);
    }
}

static int64_t shm_new(struct sys_ctx *c, int32_t key, int flg, int64_t arg)
{
    uint64_t size = (uint64_t)arg, pages = (size + PAGE - 1) / PAGE;
    if (size < SHMMIN || size > sysctl_shmmax)
        return -LINUX_EINVAL;
    if (size > INT64_MAX) /* a file's size, signed: Linux's shmem_file_setup refuses it */
        return -LINUX_EINVAL;
    if (shm_pages + pages < shm_pages || shm_pages + pages > sysctl_shmall)
        return -LINUX_ENOSPC;
    if (flg & SHM_HUGETLB)
        return -LINUX_ENOMEM; /* no huge pages are reserved, as on a Linux with none */
    /* its size is committed, unless SHM_NORESERVE asks otherwise outside overcommit's mode 2 (newseg's) */
    bool reserve = !(flg & SHM_NORESERVE) || sysctl_overcommit_memory == 2;
    struct shm_seg *s = calloc(1, sizeof *s);
    if (!s || (reserve && !mm_enough_memory(c->p, pages * PAGE)) ||
        !(s->ino = fs_new_unnamed(&shmfs, S_IFREG | ((uint32_t)flg & 0777)))) {
        free(s);
        return -LINUX_ENOMEM;
    }
    s->charged = reserve ? pages * PAGE : 0;
    mm_charge((int64_t)s->charged);
    s->ino->size = size;
    s->size = size;
    s->cpid = proc_tgid(c->p);
    s->made_key = key;
    int id = ipc_add(c, &shm_ids, &s->o, key, flg);
    if (id < 0) {
        seg_free(s);
        return id;
    }
    shm_pages += pages;
    return id;
}

static int shm_check(struct ipc_obj *o, int64_t arg) { return seg_of(o)->size < (uint64_t)arg ? -LINUX_EINVAL : 0; }

static int64_t sys_shmget(struct sys_ctx *c, int32_t key, uint64_t size, int shmflg)
{
    return ipc_get(c, &shm_ids, key, shmflg, (int64_t)size, shm_new, shm_check);
}

static int64_t sys_shmat(struct sys_ctx *c, int shmid, uint64_t addr, int shmflg)
{
    if (shmid < 0)
        return -LINUX_EINVAL;
    int flags = MAP_SHARED;
    if (addr) {
        if (addr & (PAGE - 1)) {
            if (!(shmflg & SHM_RND))
                return -LINUX_EINVAL;
            addr &= ~(PAGE - 1);
            if (!addr && (shmflg & SHM_REMAP))
                return -LINUX_EINVAL;
        }
        flags |= MAP_FIXED;
    } else if (shmflg & SHM_REMAP) {
        return -LINUX_EINVAL;
    }
    int prot = shmflg & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE, acc = shmflg & SHM_RDONLY ? 0444 : 0666;
    if (shmflg & SHM_EXEC)
        prot |= PROT_EXEC, acc |= 0111;
    struct ipc_obj *o = ipc_find(&shm_ids, shmid);
    if (!o)
        return -LINUX_EINVAL;
    if (ipc_denied(c, o, acc))
        return -LINUX_EACCES;
    struct shm_seg *s = seg_of(o);
    uint64_t len = (s->size + PAGE - 1) / PAGE * PAGE;
    if (addr && !(shmflg & SHM_REMAP) && (addr + len < addr || !mm_range_free(c->p->mm, addr, addr + len)))
        return -LINUX_EINVAL;
    int64_t r = mm_map(c->p, addr, len, prot, flags, s->ino, 0);
    if (r >= 0) {
        mm_find(c->p, (uint64_t)r)->no_write = (shmflg & SHM_RDONLY) != 0; /* as a file open read-only */
        s->atime = ipc_now();
        s->lpid = proc_tgid(c->p);
    }
    return r;
}

/* The time and pid of a detach, for every segment p's areas in
 * [start, end) map. */
static void detached(struct proc *p, uint64_t start, uint64_t end)
{
    for (const struct vma *v = p->mm->vmas; v; v = v->next)
        for (int i = 0; v->file && v->file->fs == &shmfs && v->start >= start && v->end <= end && i < shm_ids.cap; i++)
            if (shm_ids.slot[i] && seg_of(shm_ids.slot[i])->ino == v->file)
                seg_of(shm_ids.slot[i])->dtime = ipc_now(), seg_of(shm_ids.slot[i])->lpid = proc_tgid(p);
}

void shm_exiting(struct proc *p) { detached(p, 0, UINT64_MAX); }

/* Whether v is an attachment of a segment at addr (its offset in the
 * segment is its distance from addr), as Linux's shmdt asks. */
static bool attached_at(const struct vma *v, uint64_t addr)
{
    return v->file && v->file->fs == &shmfs && v->start - addr == v->file_off;
}

static int64_t sys_shmdt(struct sys_ctx *c, uint64_t addr)
{
    if (addr & (PAGE - 1))
        return -LINUX_EINVAL;
    struct vma *v = c->p->mm->vmas;
    while (v && (v->end <= addr || !attached_at(v, addr)))
        v = v->next;
    if (!v)
        return -LINUX_EINVAL;
    /* every area of that segment from addr on, within its size */
    struct inode *ino = v->file;
    uint64_t end = addr + (ino->size + PAGE - 1) / PAGE * PAGE;
    detached(c->p, addr, end);
    for (v = c->p->mm->vmas; v;) {
        struct vma *next = v->next;
        if (v->file == ino && v->start >= addr && v->end <= end && attached_at(v, addr))
            mm_unmap(c->p, v->start, v->end - v->start);
        v = next;
    }
    shm_collect();
    return 0;
}

static void shm_stat(const struct shm_seg *s, struct shmid64_ds_k *ds)
{
    *ds = (struct shmid64_ds_k){.segsz = s->size, .atime = s->atime, .dtime = s->dtime, .ctime = s->o.ctime,
                                .cpid = s->cpid, .lpid = s->lpid, .nattch = shm_nattch(s)};
    ipc_perm_out(&s->o, &ds->perm);
}

static int64_t shm_info(struct sys_ctx *c, int cmd, uint64_t buf)
{
    int max = ipc_max_index(&shm_ids);
    if (cmd == IPC_INFO) {
        struct shminfo64_k in = {.shmmax = sysctl_shmmax, .shmmin = SHMMIN, .shmmni = (uint64_t)sysctl_shmmni,
                                 .shmseg = (uint64_t)sysctl_shmmni, .shmall = sysctl_shmall}; /* shmseg: shmmni, as Linux */
        if (mem_out(c->p, buf, &in, sizeof in) < 0)
            return -LINUX_EFAULT;
    } else {
        struct shm_info_k in = {.used_ids = shm_ids.in_use, .shm_tot = shm_pages};
        for (int i = 0; i < shm_ids.cap; i++)
            if (shm_ids.slot[i])
                in.shm_rss += seg_of(shm_ids.slot[i])->ino->npages;
        if (mem_out(c->p, buf, &in, sizeof in) < 0)
            return -LINUX_EFAULT;
    }
    return max < 0 ? 0 : max;
}

static int64_t sys_shmctl(struct sys_ctx *c, int shmid, int cmd, uint64_t buf)
{
    if (cmd < 0 || shmid < 0)
        return -LINUX_EINVAL;
    struct shmid64_ds_k ds;
    struct ipc_obj *o;
    switch (cmd) {
    case IPC_INFO:
    case SHM_INFO: return shm_info(c, cmd, buf);
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY:
        o = cmd == IPC_STAT ? ipc_find(&shm_ids, shmid) : ipc_at(&shm_ids, shmid);
        if (!o)
            return -LINUX_EINVAL;
        if (cmd != SHM_STAT_ANY && ipc_denied(c, o, 0444))
            return -LINUX_EACCES;
        shm_stat(seg_of(o), &ds);
        if (mem_out(c->p, buf, &ds, sizeof ds) < 0)
            return -LINUX_EFAULT;
        return cmd == IPC_STAT ? 0 : o->id;
    case SHM_LOCK:
    case SHM_UNLOCK:
        if (!(o = ipc_find(&shm_ids, shmid)))
            return -LINUX_EINVAL;
        if (!cred_capable(&c->p->cred, CAP_IPC_LOCK)) {
            uint32_t euid = c->p->cred.euid;
            if (euid != o->uid && euid != o->cuid)
                return -LINUX_EPERM;
            if (cmd == SHM_LOCK && !proc_group(c->p)->rlim[RLIMIT_MEMLOCK][0])
                return -LINUX_EPERM;
        }
        /* Nothing is ever swapped out here: the flag is all there is to it. */
        o->mode = cmd == SHM_LOCK ? o->mode | SHM_LOCKED : o->mode & ~(uint32_t)SHM_LOCKED;
        return 0;
    case IPC_SET:
    case IPC_RMID:
        if (cmd == IPC_SET && mem_in(c->p, &ds, buf, sizeof ds) < 0)
            return -LINUX_EFAULT;
        if (!(o = ipc_find(&shm_ids, shmid)))
            return -LINUX_EINVAL;
        if (ipc_may_change(c, o) < 0)
            return -LINUX_EPERM;
        if (cmd == IPC_SET) {
            ipc_perm_set(o, &ds.perm);
            return 0;
        }
        o->mode |= SHM_DEST;
        o->key = IPC_PRIVATE; /* no shmget finds it again */
        shm_collect();
        return 0;
    default: return -LINUX_EINVAL;
    }
}

bool shm_name(const struct inode *ino, char *buf, size_t size)
{
    for (int i = 0; ino->fs == &shmfs && i < shm_ids.cap; i++)
        if (shm_ids.slot[i] && seg_of(shm_ids.slot[i])->ino == ino) {
            snprintf(buf, size, "/SYSV%08x (deleted)", (uint32_t)seg_of(shm_ids.slot[i])->made_key);
            return true;
        }
    return false;
}

size_t shm_proc_text(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size,
                                "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  "
                                "cuid  cgid      atime      dtime      ctime                   rss                  "
                                "swap\n");
    for (int i = 0; i < shm_ids.cap && n < size; i++) {
        struct shm_seg *s = shm_ids.slot[i] ? seg_of(shm_ids.slot[i]) : NULL;
        if (s)
            n += (size_t)snprintf(buf + n, size - n,
                                  "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10ld %10ld %10ld %21lu %21lu\n",
                                  s->o.key, s->o.id, s->o.mode, (unsigned long)s->size, s->cpid, s->lpid,
                                  (unsigned long)shm_nattch(s), s->o.uid, s->o.gid, s->o.cuid, s->o.cgid,
                                  (long)s->atime, (long)s->dtime, (long)s->o.ctime,
                                  (unsigned long)(s->ino->npages * PAGE), 0ul);
    }
    return n < size ? n : size - 1;
}
