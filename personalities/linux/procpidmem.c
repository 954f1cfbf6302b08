/*
 * personalities/linux/procpidmem.c - /proc/PID/mem: a process's memory as
 * a file whose offset is the address.  Opening it takes what ptrace's
 * attach would (the process itself, or proc_may_ptrace: else EACCES, as
 * Linux's mm_access); reads and writes then copy a page at a time through
 * the server (mem_in, mem_out, as ptrace's PEEK and POKE), forcing as
 * Linux's FOLL_FORCE does: a read-only private page takes a write, a
 * shared one does not.  Not built: a PROT_NONE page, which Linux forces
 * too, is EIO here (the server's copies need the page mapped).  A transfer stops at the first page not mapped:
 * the bytes moved, or EIO if none.  Offsets are unsigned (lseek's
 * SEEK_SET and SEEK_CUR take any, SEEK_END is EINVAL), and a process that
 * has ended reads and writes nothing (0).
 *
 * /proc/PID/pagemap (PROCPAGEMAP_NODE) opens the same way and reads a
 * page's entry of eight bytes as Linux's, from what the server knows of
 * the page: in an area, present, a file's or the process's own (no
 * soft-dirty bit, no frame number).
 *
 * /proc/mounts and the mount tables of /proc/PID (marked PROCMOUNTS_NODE)
 * open here too, for their poll, which shows the table's changes.
 *
 * Entry points: procmem_file_ops (file.c's open, for procfs's nodes
 * marked PROCMEM_NODE, PROCMOUNTS_NODE, and procpidset.c's marked PROCSET_NODE).  Callers: file.c.  Layer: a file type over proc
 * and mm.  Book: docs/linux.md, "/proc".
 */
#include "procfs.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull
#define MAX_RW_COUNT 0x7ffff000u /* the most one call moves (linux/fs.h) */

/* The process the file was opened on, if it is still the same live one. */
static struct proc *mem_target(const struct file *f)
{
    struct proc *t = proc_by_pid(f->pidfd.pid);
    return t && !t->zombie && t->start_ns == f->pidfd.start_ns ? proc_group(t) : NULL;
}

/* Whether t's page at va may be moved: mapped, and for a write private
 * or writable (FOLL_FORCE copies a private page on write). */
static bool page_ok(struct proc *t, uint64_t va, bool write)
{
    struct vma *v = mm_find(t, va);
    return v && (!write || (v->prot & PROT_WRITE) || !(v->file_shared || v->shm_id || v->no_write));
}

/* Up to len bytes between the caller's ubuf and t's memory from *pos:
 * the bytes moved, EIO if none, EFAULT at a bad ubuf (as Linux's mem_rw). */
static int64_t mem_move(struct sys_ctx *c, struct proc *t, uint64_t ubuf, uint64_t len, uint64_t *pos, bool write)
{
    static char page[PAGE];
    uint64_t done = 0;
    while (done < len) {
        uint64_t va = *pos, n = PAGE - va % PAGE;
        n = n < len - done ? n : len - done;
        if (write && mem_in(c->p, page, ubuf + done, n) < 0)
            return -LINUX_EFAULT;
        bool moved = page_ok(t, va, write) && (write ? mem_out_force(t, va, page, n) : mem_in(t, page, va, n)) == 0;
        if (!moved)
            return done ? (int64_t)done : -LINUX_EIO;
        if (!write && mem_out(c->p, ubuf + done, page, n) < 0)
            return -LINUX_EFAULT;
        done += n, *pos += n;
    }
    return (int64_t)done;
}

static int64_t mem_rw(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at, bool write)
{
    if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -LINUX_EBADF;
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos;
    if ((int64_t)pos < 0 && len >= -pos)
        return -LINUX_EOVERFLOW; /* rw_verify_area's, for a file of unsigned offsets */
    len = len < MAX_RW_COUNT ? len : MAX_RW_COUNT;
    struct proc *t = mem_target(f);
    int64_t r = t && len ? mem_move(c, t, ubuf, len, &pos, write) : 0;
    if (at < 0)
        f->pos = pos;
    return r;
}

static int64_t mem_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return mem_rw(c, f, ubuf, len, at, false);
}

static int64_t mem_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return mem_rw(c, f, ubuf, len, at, true);
}

/* The process is the one the node's directory names (/proc/PID/mem);
 * the caller must be it or be allowed to attach to it. */
static int mem_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)flags;
    char path[PATH_MAX_LEN];
    if (fs_name_of(f->inode, NULL, path, sizeof path) < 0)
        return -LINUX_ESRCH;
    char *end = strrchr(path, '/');
    if (!end)
        return -LINUX_ESRCH;
    *end = '\0';
    char *name = strrchr(path, '/');
    struct proc *t = name ? procfs_find(f->inode->fs, name + 1) : NULL;
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    if (t->mm != c->p->mm && !proc_may_ptrace(c->p, t))
        return -LINUX_EACCES;
    f->pidfd.pid = t->pid;
    f->pidfd.start_ns = t->start_ns;
    return 0;
}

static const struct file_ops procmem_fops = {.read = mem_read, .write = mem_write, .open = mem_open,
                                             .unsigned_offsets = true};

/* pagemap's bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PRESENT (1ull << 63)
#define PM_FILE (1ull << 61)
#define PM_MMAP_EXCLUSIVE (1ull << 56)

/* The entry of t's page at va (Linux 6.1's pagemap_pmd_range, built
 * without CONFIG_MEM_SOFT_DIRTY: no bit 55, see procsmaps.c's
 * clear_refs): 0 outside an area and for a page not there (nothing is
 * swapped: no bit 62); present with the page, a file's or shared
 * memory's page (a private mapping's read-only ones: still the file's)
 * as PM_FILE, and as mapped by t alone (Linux's mapcount of 1; a page a
 * fork left shared counts so too).  No frame number: Linux shows none
 * without CAP_SYS_ADMIN, and here none to anyone, root included (the
 * frames are the kernel's, which tells the server none of them). */
static uint64_t pagemap_entry(struct proc *t, uint64_t va)
{
    const struct vma *v = mm_find(t, va);
    if (!v || !mm_present(t, va))
        return 0;
    bool file = v->file_shared || v->shm_id || v->vdso || (v->file && !(v->prot & PROT_WRITE));
    return PM_PRESENT | PM_MMAP_EXCLUSIVE | (file ? PM_FILE : 0);
}

/* pagemap: eight bytes a page, at offset page number * 8, as Linux's
 * pagemap_read: an offset or count not a multiple of 8 EINVAL, an ended
 * process ESRCH, nothing past TASK_SIZE. */
static int64_t pagemap_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    static uint64_t entries[512];
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos, done = 0;
    if (pos % 8 || len % 8)
        return -LINUX_EINVAL;
    struct proc *t = mem_target(f);
    if (!t)
        return -LINUX_ESRCH;
    len = len < MAX_RW_COUNT ? len & ~7ull : MAX_RW_COUNT & ~7ull;
    for (uint64_t page = pos / 8; done < len && page < TASK_SIZE / PAGE;) {
        size_t n = 0;
        for (; n < 512 && done + n * 8 < len && page + n < TASK_SIZE / PAGE; n++)
            entries[n] = pagemap_entry(t, (page + n) * PAGE);
        if (mem_out(c->p, ubuf + done, entries, n * 8) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        done += n * 8, page += n;
    }
    if (at < 0)
        f->pos = pos + done;
    return (int64_t)done;
}

static const struct file_ops pagemap_fops = {.read = pagemap_read, .open = mem_open, .unsigned_offsets = true};

/* The mount tables: read as procfs's other files; poll is POLLIN, with
 * POLLERR | POLLPRI once for changes of the table since the file's last
 * poll, or its open (Linux's mounts_poll, which takes them as seen). */
static int64_t mounts_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return inode_fops.read(c, f, ubuf, len, at);
}

static int64_t mounts_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return inode_fops.write(c, f, ubuf, len, at);
}

static int64_t mounts_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    return inode_fops.kread(f, buf, n, pos);
}

static int64_t mounts_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    return inode_fops.kwrite(f, buf, n, pos);
}

static int mounts_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)c, (void)flags;
    f->mount_event = fs_mount_event;
    return 0;
}

static int mounts_poll(struct file *f)
{
    bool changed = f->mount_event != fs_mount_event;
    f->mount_event = fs_mount_event;
    return POLLIN | POLLRDNORM | (changed ? POLLERR | POLLPRI : 0);
}

static const struct file_ops procmounts_fops = {.read = mounts_read, .write = mounts_write, .kread = mounts_kread,
                                                .kwrite = mounts_kwrite, .open = mounts_open, .poll = mounts_poll};

const struct file_ops *procmem_file_ops(const struct inode *ino)
{
    if ((ino->mode & S_IFMT) != S_IFREG || ino->fs->magic != PROC_SUPER_MAGIC)
        return NULL;
    return ino->rdev == PROCMEM_NODE      ? &procmem_fops
         : ino->rdev == PROCPAGEMAP_NODE  ? &pagemap_fops
         : ino->rdev == PROCSET_NODE      ? &procset_fops
         : ino->rdev == PROCLIVE_NODE     ? &proclive_fops
         : ino->rdev == PROCMOUNTS_NODE ? &procmounts_fops
                                          : NULL;
}

void procmem_dir_opened(struct file *f)
{
    struct inode *ino = f->inode;
    char path[PATH_MAX_LEN];
    if ((ino->mode & S_IFMT) != S_IFDIR || ino->fs->magic != PROC_SUPER_MAGIC || ino->parent != ino->fs->root ||
        ino == ino->fs->root || fs_name_of(ino, NULL, path, sizeof path) < 0)
        return;
    const char *name = strrchr(path, '/');
    struct proc *p = name && name[1] >= '0' && name[1] <= '9' ? procfs_find(ino->fs, name + 1) : NULL;
    if (p && !p->leader) /* the walk that found it made it the process's now */
        f->pidfd.pid = p->pid, f->pidfd.start_ns = p->start_ns;
}

/* t's bytes in [from, to) onto procfs's buffer, up to the first page
 * that cannot be read or is not anonymous memory (Linux's
 * access_remote_vm with FOLL_ANON, as cmdline and environ read); with to_nul, up to and with the first NUL, within a page's
 * length from from (as Linux's get_mm_proctitle).  The bytes put. */
size_t procmem_put(struct proc *t, uint64_t from, uint64_t to, bool to_nul)
{
    static char page[PAGE];
    size_t done = 0;
    to = to_nul && to - from > PAGE ? from + PAGE : to;
    for (uint64_t va = from; va < to;) {
        uint64_t n = PAGE - va % PAGE;
        n = n < to - va ? n : to - va;
        struct vma *v = mm_find(t, va);
        if (!v || v->file || v->shm_id || mem_in(t, page, va, n) < 0)
            break;
        char *nul = to_nul ? memchr(page, 0, n) : NULL;
        n = nul ? (uint64_t)(nul - page) + 1 : n;
        procfs_bytes(page, n);
        done += n, va += n;
        if (nul)
            break;
    }
    return done;
}
