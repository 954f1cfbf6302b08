/*
 * personalities/linux/userfaultfd.c - userfaultfd: a file (anon_inode
 * [userfaultfd]) through which a process serves the page faults of the
 * areas it registered.  After the UFFDIO_API handshake, UFFDIO_REGISTER
 * (MISSING mode) marks anonymous private areas of its maker's memory
 * (struct vma's uffd, split at the range's ends); a thread's first touch
 * of a missing page there does not get its zeroed page: main.c asks
 * uffd_fault first, which keeps the fault's reply token and queues a
 * message (UFFD_EVENT_PAGEFAULT, the address, write or not), and the
 * thread waits.  A read takes the messages not read yet (each once), and
 * poll, select and epoll see them (POLLIN).  UFFDIO_COPY and
 * UFFDIO_ZEROPAGE put pages in (EEXIST where one is there), then wake the
 * faults in their range (reply: the instruction runs again and finds its
 * page); UFFDIO_WAKE wakes without a page (the thread faults again, a new
 * message).  UFFDIO_UNREGISTER and the last close wake the faults too.
 *
 * Not built: write-protect and minor modes (EINVAL, as a Linux without
 * CONFIG_HAVE_ARCH_USERFAULTFD_WP and _MINOR), shmem and file areas
 * (EINVAL), the non-cooperative events (fork, remap, remove, unmap: their
 * features are not offered), UFFDIO_CONTINUE, _WRITEPROTECT, _MOVE and
 * _POISON (EINVAL).  The features offered are SIGBUS, THREAD_ID and
 * EXACT_ADDRESS.  The server's own copies to user memory (a read(2) into
 * a registered page) fill a missing page with zeros rather than wait, as
 * with UFFD_USER_MODE_ONLY.  A signal to a thread waiting in a fault ends
 * the wait (uffd_cancel: its message goes), its handler runs, and the
 * instruction faults again, as Linux's.
 *
 * Entry points: userfaultfd.h; the call's handler (syscalls.def).
 * Callers: main.c (faults), proc.c (a thread gone), mmcalls.c (fork),
 * dev.c (/dev/userfaultfd), the descriptor calls through the file's
 * operations.  Layer: a file type, above mm.  Book: docs/linux.md,
 * "Userfaultfd".
 */
#include "file.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "uapi_uffd.h"
#include "userfaultfd.h"
#include "wait.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/userfaultfd.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define MMAP_MIN_ADDR 65536ull /* vm.mmap_min_addr's default: a range below it is EINVAL */
#define FEATURES (UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS)
#define API_IOCTLS (1ull << _UFFDIO_REGISTER | 1ull << _UFFDIO_UNREGISTER | 1ull << _UFFDIO_API)
#define RANGE_IOCTLS (1ull << _UFFDIO_WAKE | 1ull << _UFFDIO_COPY | 1ull << _UFFDIO_ZEROPAGE)

/* A thread waiting in a fault: its reply token, where it faulted. */
struct uffd_fault_wait {
    struct proc *p;
    uint64_t token, addr;
    bool write;
    bool read;                /* a read(2) has returned its message */
    struct uffd_fault_wait *next;
};

/* A userfaultfd: whose memory it serves (its maker's, by the memory map
 * and the process's id: ESRCH once that is gone), the handshake's
 * features, and the faults waiting, oldest first. */
struct uffd {
    struct mm *mm;
    int tgid;
    bool ready;               /* UFFDIO_API done */
    uint64_t features;
    struct uffd_fault_wait *faults;
    struct uffd *next;        /* every userfaultfd (uffd_proc_gone) */
};
static struct uffd *uffds;

/* The process whose memory u serves, or NULL when it is gone. */
static struct proc *owner(struct uffd *u)
{
    struct proc *p = proc_by_pid(u->tgid);
    return p && !p->zombie && p->mm == u->mm ? p : NULL;
}

/* Wakes the faults of u in [start, start+len) (len 0: all): each runs its
 * instruction again. */
static void wake(struct uffd *u, uint64_t start, uint64_t len)
{
    for (struct uffd_fault_wait **pw = &u->faults, *w; (w = *pw);) {
        if (len && (w->addr < start || w->addr - start >= len)) {
            pw = &w->next;
            continue;
        }
        *pw = w->next;
        if (!w->p->zombie) /* the instruction again, after any signal's handler */
            proc_reply(w->p, w->token, RESUME_UNCHANGED);
        free(w);
    }
}

/* ---- the fault path ---- */

int uffd_fault(struct proc *p, uint64_t addr, uint64_t error, uint64_t token)
{
    if (!uffds)
        return UFFD_NOT_MINE; /* the common case: no userfaultfd anywhere, no area to look up */
    struct vma *v = mm_find(p, addr);
    if (!v || !v->uffd || (error & PF_PRESENT))
        return UFFD_NOT_MINE;
    if (((error & PF_WRITE) && !(v->prot & PROT_WRITE)) || ((error & PF_FETCH) && !(v->prot & PROT_EXEC)) ||
        !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
        return UFFD_NOT_MINE; /* mm_fault's SIGSEGV */
    struct uffd *u = v->uffd;
    if (u->features & UFFD_FEATURE_SIGBUS)
        return UFFD_SIGBUS;
    struct uffd_fault_wait *w = calloc(1, sizeof *w);
    if (!w)
        return UFFD_NOT_MINE;
    *w = (struct uffd_fault_wait){.p = p, .token = token, .addr = addr, .write = (error & PF_WRITE) != 0};
    struct uffd_fault_wait **pw = &u->faults;
    while (*pw)
        pw = &(*pw)->next;
    *pw = w;
    poll_recheck(); /* a reader, poll or epoll waiting for it */
    return UFFD_QUEUED;
}

bool uffd_cancel(struct proc *p, uint64_t *token)
{
    for (struct uffd *u = uffds; u; u = u->next)
        for (struct uffd_fault_wait **pw = &u->faults, *w; (w = *pw);) {
            if (w->p != p) {
                pw = &w->next;
                continue;
            }
            *pw = w->next;
            *token = w->token;
            free(w);
            return true; /* a thread waits in one fault at most */
        }
    return false;
}

void uffd_proc_gone(struct proc *p)
{
    uint64_t token;
    uffd_cancel(p, &token);
}

void uffd_forked(struct proc *child)
{
    for (struct vma *v = child->mm->vmas; v; v = v->next)
        v->uffd = NULL;
}

/* ---- the file ---- */

static bool unread(const struct uffd *u)
{
    for (const struct uffd_fault_wait *w = u->faults; w; w = w->next)
        if (!w->read)
            return true;
    return false;
}

/* The message of fault w, as u's features shape it. */
static struct uffd_msg message(const struct uffd *u, const struct uffd_fault_wait *w)
{
    struct uffd_msg m = {.event = UFFD_EVENT_PAGEFAULT, .flags = w->write ? UFFD_PAGEFAULT_FLAG_WRITE : 0};
    m.address = u->features & UFFD_FEATURE_EXACT_ADDRESS ? w->addr : w->addr & ~(PAGE - 1);
    if (u->features & UFFD_FEATURE_THREAD_ID)
        m.ptid = (uint32_t)w->p->pid;
    return m;
}

/* As many messages as fit, each fault's once; the first waited for
 * unless O_NONBLOCK. */
static int64_t uffd_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct uffd *u = f->uffd;
    uint64_t done = 0;
    if (!u->ready)
        return -LINUX_EINVAL;
    for (struct uffd_fault_wait *w = u->faults; w && len - done >= sizeof(struct uffd_msg); w = w->next) {
        if (w->read)
            continue;
        struct uffd_msg m = message(u, w);
        w->read = true; /* as Linux's: a message that cannot be copied is not given again */
        if (mem_out(c->p, ubuf + done, &m, sizeof m) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        done += sizeof m;
    }
    if (done)
        return (int64_t)done;
    if (len < sizeof(struct uffd_msg))
        return -LINUX_EINVAL;
    if (f->flags & O_NONBLOCK)
        return -LINUX_EAGAIN;
    wait_read(c, f, ubuf, len);
    return 0;
}

/* Linux's: POLLERR before the handshake, and on a blocking file (a fault
 * may be woken before it is read); here POLLIN is added there too while a
 * message waits, which is what a blocking read's wait (wait_read) looks at. */
static int uffd_poll(struct file *f)
{
    if (!f->uffd->ready)
        return POLLERR;
    int in = unread(f->uffd) ? POLLIN : 0;
    return f->flags & O_NONBLOCK ? in : POLLERR | in;
}

static void uffd_release(struct file *f)
{
    struct uffd *u = f->uffd;
    for (struct proc *p = proc_list(); p; p = p->next)
        for (struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next)
            if (v->uffd == u)
                v->uffd = NULL;
    wake(u, 0, 0);
    for (struct uffd **pu = &uffds; *pu; pu = &(*pu)->next)
        if (*pu == u) {
            *pu = u->next;
            break;
        }
    free(u);
}

/* ---- the ioctls ---- */

static int64_t uffd_api(struct sys_ctx *c, struct uffd *u, uint64_t arg)
{
    struct uffdio_api a;
    if (mem_in(c->p, &a, arg, sizeof a) < 0)
        return -LINUX_EFAULT;
    uint64_t want = a.features;
    if (a.api != UFFD_API || (want & ~FEATURES) || u->ready) {
        memset(&a, 0, sizeof a);
        return mem_out(c->p, arg, &a, sizeof a) < 0 ? -LINUX_EFAULT : -LINUX_EINVAL;
    }
    a.features = FEATURES;
    a.ioctls = API_IOCTLS;
    if (mem_out(c->p, arg, &a, sizeof a) < 0)
        return -LINUX_EFAULT;
    u->features = want;
    u->ready = true;
    return 0;
}

/* Linux's validate_range. */
static int64_t range_valid(uint64_t start, uint64_t len)
{
    if ((start | len) & (PAGE - 1) || !len || start < MMAP_MIN_ADDR || start >= TASK_SIZE || len > TASK_SIZE - start)
        return -LINUX_EINVAL;
    return 0;
}

/* An area userfaultfd may serve here: anonymous and private. */
static bool servable(const struct vma *v) { return v->lazy && !v->file && !v->shm_id && !v->vdso; }

/* The first area ending above start; NULL if none. */
static struct vma *first_area(struct proc *p, uint64_t start)
{
    struct vma *v = p->mm->vmas;
    while (v && v->end <= start)
        v = v->next;
    return v;
}

/* Checks the areas of [start, end) for a registration by u (for != NULL)
 * or an unregistration: EINVAL where none is, or one cannot be served,
 * EBUSY where another userfaultfd has one; 1 when no area is at or
 * above start (an unregistration's success). */
static int64_t areas_check(struct proc *p, struct uffd *u, uint64_t start, uint64_t end)
{
    struct vma *v = first_area(p, start);
    if (!v)
        return u ? -LINUX_EINVAL : 1;
    if (v->start >= end)
        return -LINUX_EINVAL;
    for (; v && v->start < end; v = v->next) {
        if (!servable(v))
            return -LINUX_EINVAL;
        if (u && v->uffd && v->uffd != u)
            return -LINUX_EBUSY;
    }
    return 0;
}

/* Marks the areas of [start, end) as served by u (NULL: by none), split at
 * the range's ends; the faults waiting there are woken on the way out. */
static int64_t areas_mark(struct proc *p, struct uffd *u, uint64_t start, uint64_t end)
{
    if (mm_split(p->mm, start) < 0 || mm_split(p->mm, end) < 0)
        return -LINUX_ENOMEM;
    for (struct vma *v = first_area(p, start); v && v->start < end; v = v->next) {
        if (!u && v->uffd)
            wake(v->uffd, start, end - start);
        v->uffd = u;
    }
    return 0;
}

static int64_t uffd_register(struct sys_ctx *c, struct uffd *u, uint64_t arg)
{
    struct uffdio_register r;
    if (mem_in(c->p, &r, arg, offsetof(struct uffdio_register, ioctls)) < 0)
        return -LINUX_EFAULT;
    if (!r.mode || (r.mode & ~(uint64_t)(UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP |
                                         UFFDIO_REGISTER_MODE_MINOR)))
        return -LINUX_EINVAL;
    if (r.mode != UFFDIO_REGISTER_MODE_MISSING)
        return -LINUX_EINVAL; /* write-protect and minor faults are not built */
    int64_t e = range_valid(r.range.start, r.range.len);
    struct proc *p = owner(u);
    if (e || !p)
        return e ? e : -LINUX_ENOMEM;
    uint64_t end = r.range.start + r.range.len;
    if ((e = areas_check(p, u, r.range.start, end)) || (e = areas_mark(p, u, r.range.start, end)))
        return e;
    r.ioctls = RANGE_IOCTLS;
    return mem_out(c->p, arg + offsetof(struct uffdio_register, ioctls), &r.ioctls, sizeof r.ioctls);
}

static int64_t uffd_unregister(struct sys_ctx *c, struct uffd *u, uint64_t arg)
{
    struct uffdio_range r;
    if (mem_in(c->p, &r, arg, sizeof r) < 0)
        return -LINUX_EFAULT;
    int64_t e = range_valid(r.start, r.len);
    struct proc *p = owner(u);
    if (e || !p)
        return e ? e : -LINUX_ENOMEM;
    e = areas_check(p, NULL, r.start, r.start + r.len);
    return e ? (e > 0 ? 0 : e) : areas_mark(p, NULL, r.start, r.start + r.len);
}

static int64_t uffd_wake(struct sys_ctx *c, struct uffd *u, uint64_t arg)
{
    struct uffdio_range r;
    if (mem_in(c->p, &r, arg, sizeof r) < 0)
        return -LINUX_EFAULT;
    int64_t e = range_valid(r.start, r.len);
    if (!e)
        wake(u, r.start, r.len);
    return e;
}

/* Whether [start, end) of p is all in registered areas, one after
 * another (Linux's one area: ours are split where registrations ended). */
static bool registered(struct proc *p, uint64_t start, uint64_t end)
{
    struct vma *v = mm_find(p, start);
    for (; v && v->uffd && v->end < end; v = v->next)
        if (!v->next || v->next->start != v->end)
            return false;
    return v && v->uffd;
}

/* Fills [dst, dst+len) of p's registered area with pages: copies of the
 * caller's bytes at src, or zeros (src 0); the bytes filled, or the first
 * page's error: ENOENT (not one registered area), EEXIST (a page is
 * there), EFAULT (src), ENOMEM. */
static int64_t fill(struct proc *caller, struct proc *p, uint64_t dst, uint64_t src, uint64_t len)
{
    static char page[PAGE];
    if (!registered(p, dst, dst + len))
        return -LINUX_ENOENT;
    uint64_t off = 0;
    for (; off < len; off += PAGE) {
        int64_t err = 0;
        if (mm_present(p, dst + off))
            err = -LINUX_EEXIST;
        else if (src && mem_in(caller, page, src + off, PAGE) < 0)
            err = -LINUX_EFAULT;
        else if (mm_populate(p, dst + off, PAGE) < 0 || (src && sys_mem_write(p->task, dst + off, page, PAGE) < 0))
            err = -LINUX_ENOMEM;
        if (err)
            return off ? (int64_t)off : err;
    }
    return (int64_t)off;
}

/* UFFDIO_COPY (zero false) and UFFDIO_ZEROPAGE: the range, the fill, its
 * count written back, the wake; EAGAIN when only part was filled. */
static int64_t uffd_fill(struct sys_ctx *c, struct uffd *u, uint64_t arg, bool zero)
{
    struct uffdio_copy k = {0};
    struct uffdio_zeropage z;
    size_t size = zero ? offsetof(struct uffdio_zeropage, zeropage) : offsetof(struct uffdio_copy, copy);
    if (mem_in(c->p, zero ? (void *)&z : (void *)&k, arg, size) < 0)
        return -LINUX_EFAULT;
    if (zero)
        k = (struct uffdio_copy){.dst = z.range.start, .len = z.range.len, .mode = z.mode};
    int64_t e = range_valid(k.dst, k.len);
    if (e)
        return e;
    if (zero ? (k.mode & ~(uint64_t)UFFDIO_ZEROPAGE_MODE_DONTWAKE) != 0
             : k.src + k.len <= k.src || (k.mode & ~(uint64_t)(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP)))
        return -LINUX_EINVAL;
    struct proc *p = owner(u);
    if (!p)
        return -LINUX_ESRCH;
    int64_t done = !zero && (k.mode & UFFDIO_COPY_MODE_WP) ? -LINUX_EINVAL : fill(c->p, p, k.dst, zero ? 0 : k.src, k.len);
    if (mem_out(c->p, arg + size, &done, sizeof done) < 0)
        return -LINUX_EFAULT;
    if (done < 0)
        return done;
    if (!(k.mode & UFFDIO_COPY_MODE_DONTWAKE)) /* the same bit for ZEROPAGE */
        wake(u, k.dst, (uint64_t)done);
    return (uint64_t)done == k.len ? 0 : -LINUX_EAGAIN;
}

static int64_t uffd_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct uffd *u = f->uffd;
    if (req == UFFDIO_API)
        return uffd_api(c, u, arg);
    if (!u->ready)
        return -LINUX_EINVAL;
    switch (req) {
    case UFFDIO_REGISTER: return uffd_register(c, u, arg);
    case UFFDIO_UNREGISTER: return uffd_unregister(c, u, arg);
    case UFFDIO_WAKE: return uffd_wake(c, u, arg);
    case UFFDIO_COPY: return uffd_fill(c, u, arg, false);
    case UFFDIO_ZEROPAGE: return uffd_fill(c, u, arg, true);
    default: return -LINUX_EINVAL;
    }
}

static const struct file_ops uffd_fops = {.read = uffd_read, .poll = uffd_poll, .ioctl = uffd_ioctl,
                                          .stat = anon_inode_stat, .release = uffd_release,
                                          .fs = &anon_inodefs, .stream = true};

/* A new userfaultfd for c's process, flags checked: its descriptor. */
static int64_t uffd_new(struct sys_ctx *c, uint64_t flags)
{
    if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY))
        return -LINUX_EINVAL;
    struct file *f = calloc(1, sizeof *f);
    struct uffd *u = calloc(1, sizeof *u);
    if (!f || !u) {
        free(f);
        free(u);
        return -LINUX_ENOMEM;
    }
    *u = (struct uffd){.mm = c->p->mm, .tgid = proc_tgid(c->p), .next = uffds};
    uffds = u;
    *f = (struct file){.ops = &uffd_fops, .kind = FILE_USERFAULTFD, .flags = O_RDONLY | (int)(flags & O_NONBLOCK),
                       .refs = 1, .uffd = u};
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* vm.unprivileged_userfaultfd is 0, Linux's default: without
 * CAP_SYS_PTRACE only UFFD_USER_MODE_ONLY is allowed. */
static int64_t sys_userfaultfd(struct sys_ctx *c, int flags)
{
    if (!(flags & UFFD_USER_MODE_ONLY) && !cred_capable(&c->p->cred, CAP_SYS_PTRACE))
        return -LINUX_EPERM;
    return uffd_new(c, (uint64_t)(uint32_t)flags);
}

/* /dev/userfaultfd: USERFAULTFD_IOC_NEW makes one, whoever may open the
 * node (its mode is the permission). */
static int64_t uffd_dev_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)f;
    return req == USERFAULTFD_IOC_NEW ? uffd_new(c, arg) : -LINUX_EINVAL;
}

const struct file_ops uffd_dev_fops = {.ioctl = uffd_dev_ioctl};
