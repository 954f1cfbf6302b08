/*
 * personalities/linux/mmap.c - the mmap call: its arguments checked as
 * Linux checks them (the offset, the descriptor, MAP_HUGETLB, the length,
 * MAP_LOCKED's permission and limit, the mapping's type and the flags
 * MAP_SHARED_VALIDATE refuses, the file's modes, whether the file maps at
 * all), then the mapping made by mm.c's mm_map: anonymous memory, a
 * file's pages, /dev/zero's anonymous memory, a loop device's file or
 * io_uring's rings.  Shared anonymous memory is a file of its own, as
 * Linux's shmem_zero_setup makes it: an unnamed tmpfs inode as long as
 * the mapping (mm_anon_file), whose pages come at first touch and are
 * the same for every process a fork shares them with; it lives as long
 * as an area maps it (mm_anon_collect).
 *
 * Entry points: the call mmap, mm_anon_file, mm_anon_collect,
 * mm_anon_name.  Layer: mm, over fs.  Book:
 * docs/linux.md, "Memory".
 */
#include "mm.h"
#include "proc.h"
#include "procfs.h"
#include <stdio.h>
#include <stdlib.h>
#include "linux_entries/mmap.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define MAP_POPULATE 0x8000 /* asm-generic/mman-common.h */
#define MAP_NONBLOCK 0x10000

/* Linux's internal shmem mount, where shared anonymous memory's files are. */
static struct fs anonshm = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};
static struct anon_file {
    struct inode *ino;
    uint64_t charged; /* the bytes committed for it (shmem_acct_size's), given back when it goes */
} *anon_files;        /* every such file, held (refs 1) while an area maps it */
static size_t anon_count, anon_cap;

struct inode *mm_anon_file(struct proc *p, uint64_t len, bool reserve)
{
    if (anon_count == anon_cap) {
        size_t cap = anon_cap ? anon_cap * 2 : 16;
        struct anon_file *a = realloc(anon_files, cap * sizeof *a);
        if (!a)
            return NULL;
        anon_files = a, anon_cap = cap;
    }
    if (reserve && !mm_enough_memory(p, len))
        return NULL;
    struct inode *ino = fs_new_unnamed(&anonshm, S_IFREG | 0777);
    if (ino) {
        ino->size = len, anon_files[anon_count++] = (struct anon_file){ino, reserve ? len : 0};
        mm_charge(reserve ? (int64_t)len : 0);
    }
    return ino;
}

static bool anon_mapped(const struct inode *ino)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        for (const struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next)
            if (v->file == ino)
                return true;
    return false;
}

void mm_anon_collect(void)
{
    for (size_t i = 0; i < anon_count;) {
        struct inode *ino = anon_files[i].ino;
        if (anon_mapped(ino)) {
            i++;
            continue;
        }
        mm_charge(-(int64_t)anon_files[i].charged);
        anon_files[i] = anon_files[--anon_count];
        ino->refs = 0;
        fs_release(ino); /* its pages go; the inode with the sweep */
    }
}

bool mm_anon_name(const struct inode *ino, char *buf, size_t size)
{
    if (ino->fs != &anonshm)
        return false;
    snprintf(buf, size, "/dev/zero (deleted)");
    return true;
}

/* The flags MAP_SHARED_VALIDATE takes (Linux's LEGACY_MAP_MASK: the
 * types, MAP_FIXED, MAP_ANONYMOUS, MAP_32BIT, MAP_ABOVE4G, MAP_GROWSDOWN,
 * MAP_DENYWRITE to MAP_HUGETLB, MAP_UNINITIALIZED and the huge page sizes);
 * MAP_SHARED drops the others, MAP_SYNC among them, since no file here is
 * DAX. */
#define MAP_LEGACY 0x7c07f9f3

/* A file mmap refuses, in Linux's order after the offset: the type and
 * its flags, the file's modes, then whether the file maps at all (a
 * directory, a device without mmap, /proc's and /sys's files do not). */
static int64_t map_file_refused(struct file *f, uint64_t len, int prot, int *flags, uint64_t offset)
{
    uint32_t type = f->inode ? f->inode->mode & S_IFMT : 0;
    uint64_t max = type == S_IFREG || type == S_IFBLK ? INT64_MAX : UINT64_MAX; /* Linux's file_mmap_ok */
    if (len > max || offset / PAGE > (max - len) / PAGE)
        return -LINUX_EOVERFLOW;
    int acc = f->flags & O_ACCMODE;
    switch (*flags & MAP_TYPE) {
    case MAP_SHARED:
        *flags &= MAP_LEGACY;
        /* fall through */
    case MAP_SHARED_VALIDATE:
        if (*flags & ~MAP_LEGACY)
            return -LINUX_EOPNOTSUPP;
        if ((prot & PROT_WRITE) && acc == O_RDONLY)
            return -LINUX_EACCES;
        if (f->inode && fs_is_append(f->inode) && (acc == O_WRONLY || acc == O_RDWR))
            return -LINUX_EACCES; /* an append-only file open for writing is not mapped shared, whatever prot */
        /* fall through */
    case MAP_PRIVATE:
        if (acc == O_WRONLY)
            return -LINUX_EACCES;
        if ((prot & PROT_EXEC) && (f->mnt_flags & MS_NOEXEC))
            return -LINUX_EPERM; /* a file of a noexec mount (Linux's path_noexec) */
        if (!f->ops->map && (f->kind != FILE_INODE || type == S_IFDIR || (type == S_IFCHR && !f->ops->map_anonymous)))
            return -LINUX_ENODEV;
        if (f->inode && (f->inode->fs->magic == PROC_SUPER_MAGIC || f->inode->fs->magic == SYSFS_MAGIC))
            return procfs_map_error(f->inode);
        return *flags & MAP_GROWSDOWN ? -LINUX_EINVAL : 0;
    default:
        return -LINUX_EINVAL;
    }
}

static int64_t sys_mmap(struct sys_ctx *c, uint64_t addr, uint64_t length, int prot, int flags, int fd, uint64_t offset)
{
    struct inode *file = NULL;
    bool no_write = false, rdwr = false;
    if (offset & (PAGE - 1))
        return -LINUX_EINVAL;
    struct file *f = NULL;
    if (!(flags & MAP_ANONYMOUS) && !(f = fd < 0 ? NULL : fd_file(c->p, (uint64_t)fd)))
        return -LINUX_EBADF;
    if (!length || (f && (flags & MAP_HUGETLB)))
        return -LINUX_EINVAL; /* MAP_HUGETLB: a file of no hugetlbfs */
    if (flags & MAP_HUGETLB)
        return -LINUX_ENOMEM; /* no huge pages are reserved (vm.nr_hugepages is 0) */
    if (!PAGE_UP(length) || PAGE_UP(length) > (c->p->mm->compat ? I386_TOP : TASK_SIZE))
        return -LINUX_ENOMEM; /* no room for it anywhere (the address's own checks are mm_map's) */
    int64_t e = mm_lock_refused(c->p, (flags & MAP_LOCKED) != 0, PAGE_UP(length));
    if (e < 0)
        return e;
    if (!f && (flags & MAP_TYPE) != MAP_PRIVATE &&
        ((flags & MAP_TYPE) != MAP_SHARED || (flags & MAP_GROWSDOWN)))
        return -LINUX_EINVAL;
    if (f) {
        if ((e = map_file_refused(f, PAGE_UP(length), prot, &flags, offset)) < 0)
            return e;
        if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE)
            flags &= ~MAP_PRIVATE; /* as MAP_SHARED from here on */
        if (f->ops->map && !f->ops->map_as_asked) { /* io_uring's rings: pages of an inode of its own, shared */
            if ((e = f->ops->map(f, offset, length, &file, &offset)) < 0)
                return e;
            flags = (flags & ~MAP_PRIVATE) | MAP_SHARED;
            return mm_map(c->p, addr, length, prot, flags, file, offset);
        }
        file = f->ops->map_anonymous ? NULL : f->inode; /* /dev/zero maps anonymous memory */
        if (f->ops->map && (e = f->ops->map(f, offset, length, &file, &offset)) < 0) /* a loop device: its file's */
            return e;
        /* a shared mapping of a file open read-only, or of a memfd sealed
         * against writes, may not become writable (Linux drops VM_MAYWRITE) */
        no_write = (flags & MAP_SHARED) && file && (!(f->flags & O_ACCMODE) ||
                                                    (file->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)));
        if (no_write && (prot & PROT_WRITE))
            return -LINUX_EPERM;
        rdwr = (f->flags & O_ACCMODE) == O_RDWR; /* map_files' link mode */
    }
    int64_t r = mm_map(c->p, addr, length, prot, flags, file, offset);
    struct vma *v = r >= 0 ? mm_find(c->p, (uint64_t)r) : NULL;
    if (v)
        v->no_write = no_write, v->file_rdwr = rdwr;
    bool populate = (v && v->locked && !v->lock_onfault) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE;
    if (v && populate && (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
        mm_populate(c->p, v->start, v->end - v->start); /* locked or MAP_POPULATE: its pages in at once */
    return r;
}
