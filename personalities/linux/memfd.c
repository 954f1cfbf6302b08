/*
 * personalities/linux/memfd.c - memfd_create and file seals.  A memfd is
 * what Linux makes it, a tmpfs file with no name (fs_new_unnamed, on an
 * internal tmpfs as System V segments are), open for reading and
 * writing, which /proc names "/memfd:NAME (deleted)" (inode->anon_name);
 * its pages are tmpfs's, so a MAP_SHARED mapping of it is shared across
 * fork like any file's.  Its seals (inode->seals, fcntl F_ADD_SEALS and
 * F_GET_SEALS) are obeyed where Linux's shmem obeys them: writes and
 * growth (io.c's inode_kwrite), truncation (path.c), fallocate
 * (falloc.c), shared writable mappings (mm.c), exec bits (chmod).  Every
 * other tmpfs file has F_SEAL_SEAL alone, as on Linux, and nothing can
 * be added to it.
 *
 * Entry points: memfd_fcntl (file.h), the call's handler.  Callers: the
 * syscall table, fcntl.  Layer: above file.h and proc.h.  Book:
 * docs/linux.md, "Files".
 */
#include "file.h"
#include "proc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/memfd.h" /* generated: the handlers' prototypes, entries */

#define MFD_NAME_MAX_LEN 249 /* NAME_MAX less "memfd:" */
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_HUGE_FLAGS (0x3fu << 26) /* a huge page size, with MFD_HUGETLB (MFD_HUGE_MASK << MFD_HUGE_SHIFT) */
#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

/* Linux's internal tmpfs mount, where memfds are. */
static struct fs memfdfs = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};

/* memfd_create: flags checked as Linux's (MFD_HUGETLB, with its page size
 * or not, is ENOSYS, as a Linux without hugetlbfs answers), the name
 * (up to 249 bytes), then the file.  vm.memfd_noexec is 0: the file is
 * 0777 unless MFD_NOEXEC_SEAL makes it 0666 with F_SEAL_EXEC. */
static int64_t sys_memfd_create(struct sys_ctx *c, uint64_t uname, uint32_t flags)
{
    if (flags & ~(uint32_t)(MFD_ALL_FLAGS | ((flags & MFD_HUGETLB) ? MFD_HUGE_FLAGS : 0)))
        return -LINUX_EINVAL;
    if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
        return -LINUX_EINVAL;
    char name[MFD_NAME_MAX_LEN + 1];
    int n = mem_str(c->p, uname, name, sizeof name);
    if (n < 0)
        return n == -LINUX_ENAMETOOLONG ? -LINUX_EINVAL : n;
    if (flags & MFD_HUGETLB)
        return -LINUX_ENOSYS;
    bool noexec = flags & MFD_NOEXEC_SEAL;
    struct inode *ino = fs_new_unnamed(&memfdfs, S_IFREG | (noexec ? 0666 : 0777));
    struct file *f = ino ? calloc(1, sizeof *f) : NULL;
    size_t size = strlen(name) + sizeof "/memfd: (deleted)";
    char *shown = f ? malloc(size) : NULL;
    if (!shown) {
        free(f);
        if (ino)
            ino->refs = 0, fs_release(ino);
        return -LINUX_ENOMEM;
    }
    snprintf(shown, size, "/memfd:%s (deleted)", name);
    ino->anon_name = shown;
    ino->uid = fs_cred->fsuid, ino->gid = fs_cred->fsgid;
    ino->seals = noexec ? F_SEAL_EXEC : (flags & MFD_ALLOW_SEALING) ? 0 : F_SEAL_SEAL;
    *f = (struct file){.ops = &inode_fops, .kind = FILE_INODE, .inode = ino, .flags = O_RDWR | O_LARGEFILE, .refs = 1};
    int fd = fd_alloc(c->p, 0, f, (flags & MFD_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f); /* and the inode with it */
    return fd;
}

/* Whether a shared mapping that may write ino is there, in any process
 * (Linux's i_mmap_writable): F_SEAL_WRITE is EBUSY until it goes. */
static bool mapped_writable(const struct inode *ino)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->mm == &p->own_mm) /* threads and vfork children use another's */
            for (const struct vma *v = p->mm->vmas; v; v = v->next)
                if (v->file == ino && v->file_shared && !v->no_write)
                    return true;
    return false;
}

/* The seals of f's file: a memfd's own, F_SEAL_SEAL for any other
 * regular file of a tmpfs, -EINVAL for the rest (pipes, /proc, ...). */
static int64_t seals_of(const struct file *f)
{
    const struct inode *ino = f->kind == FILE_INODE ? f->inode : NULL;
    if (!ino || f->ops != &inode_fops || (ino->mode & S_IFMT) != S_IFREG || ino->fs->magic != TMPFS_MAGIC)
        return -LINUX_EINVAL;
    return ino->anon_name ? ino->seals : F_SEAL_SEAL;
}

int64_t memfd_fcntl(struct file *f, int cmd, uint64_t arg)
{
    if (cmd == F_GET_SEALS)
        return seals_of(f);
    uint32_t seals = (uint32_t)arg;
    if (!(f->flags & O_ACCMODE)) /* not open for writing */
        return -LINUX_EPERM;
    if (seals & ~(uint32_t)F_ALL_SEALS)
        return -LINUX_EINVAL;
    int64_t now = seals_of(f);
    if (now < 0)
        return now;
    if (now & F_SEAL_SEAL)
        return -LINUX_EPERM;
    struct inode *ino = f->inode;
    if ((seals & F_SEAL_WRITE) && !(now & F_SEAL_WRITE) && mapped_writable(ino))
        return -LINUX_EBUSY;
    if ((seals & F_SEAL_EXEC) && (ino->mode & 0111)) /* W^X from the start, as Linux's */
        seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
    ino->seals |= seals;
    return 0;
}
