/*
 * personalities/linux/procio.c - /proc/PID/io: a process's I/O counts, as
 * Linux's task_io_accounting: the bytes its read and write calls moved
 * (rchar, wchar: read, pread64, readv, preadv, preadv2, and the writes;
 * sendfile and copy_file_range count both) and the calls (syscr, syscw).
 * A call is counted when its reply goes (proc_io_done, from run_call, or
 * from proc_reply for one that waited: io_call marks it), so a read that
 * waited for a pipe counts what it got.  As Linux's, read and write and
 * their positioned and sendfile kin count no call that failed before the
 * file was reached (EBADF, EFAULT, EINVAL), the vector ones every call;
 * a thread's counts join its process's as it ends, a reaped child's its
 * parent's.  read_bytes and write_bytes (storage) are 0: every file is in
 * memory.  Reading another's file needs what ptrace's read access needs
 * (EACCES).
 *
 * Entry points: io_kinds, proc_io_done (main.c, proc.h), procio_file and
 * procio_thread_file (task/TID/io: the thread's own counts)
 * (procpid.c), procio_fops' check (procpidset.c).  Layer: procfs and the
 * calls' dispatch.  Book: docs/linux.md, "/proc".
 */
#include "proc.h"
#include "procfs.h"
#include <string.h>

enum { IO_READ = 1, IO_WRITE = 2, IO_VECTOR = 4 }; /* IO_VECTOR: every call counted */

/* By number, x86-64's and i386's: the dispatch asks for every call. */
const uint8_t io_kinds[2][IO_KINDS_NR] = {
    {[0] = IO_READ, [1] = IO_WRITE, [17] = IO_READ, [18] = IO_WRITE, [19] = IO_READ | IO_VECTOR,
     [20] = IO_WRITE | IO_VECTOR, [40] = IO_READ | IO_WRITE, [295] = IO_READ | IO_VECTOR,
     [296] = IO_WRITE | IO_VECTOR, [326] = IO_READ | IO_WRITE, [327] = IO_READ | IO_VECTOR,
     [328] = IO_WRITE | IO_VECTOR},
    {[3] = IO_READ, [4] = IO_WRITE, [180] = IO_READ, [181] = IO_WRITE, [145] = IO_READ | IO_VECTOR,
     [146] = IO_WRITE | IO_VECTOR, [187] = IO_READ | IO_WRITE, [239] = IO_READ | IO_WRITE,
     [333] = IO_READ | IO_VECTOR, [334] = IO_WRITE | IO_VECTOR, [377] = IO_READ | IO_WRITE,
     [378] = IO_READ | IO_VECTOR, [379] = IO_WRITE | IO_VECTOR},
};

void proc_io_done(struct proc *p, uint8_t kind, int64_t r)
{
    p->io_call = 0;
    if (!(kind & IO_VECTOR) && (r == -LINUX_EBADF || r == -LINUX_EFAULT || r == -LINUX_EINVAL))
        return;
    if (kind & IO_READ)
        p->io.syscr++, p->io.rchar += r > 0 ? (uint64_t)r : 0;
    if (kind & IO_WRITE)
        p->io.syscw++, p->io.wchar += r > 0 ? (uint64_t)r : 0;
}

void io_add(struct io_account *to, const struct io_account *from)
{
    to->rchar += from->rchar, to->wchar += from->wchar, to->syscr += from->syscr, to->syscw += from->syscw;
}

/* The process's: its ended threads' and reaped children's, and each
 * thread's still counting (an ended one's went to gone_io). */
void procio_file(struct inode *d, struct proc *p, const char *name)
{
    struct io_account a = p->cpu.gone_io;
    for_each_thread(t, p)
        if (!t->zombie && !(t == p && t->thread_gone))
            io_add(&a, &t->io);
    procfs_put("rchar: %lu\nwchar: %lu\nsyscr: %lu\nsyscw: %lu\nread_bytes: 0\nwrite_bytes: 0\n"
               "cancelled_write_bytes: 0\n",
               (unsigned long)a.rchar, (unsigned long)a.wchar, (unsigned long)a.syscr, (unsigned long)a.syscw);
    procfs_file(d, name);
    struct inode *i = fs_dir_find(d, name, strlen(name));
    if (i)
        i->rdev = PROCSET_NODE; /* its read checks the reader (procpidset.c) */
}

/* task/TID/io: the thread's own counts (Linux's with whole 0). */
void procio_thread_file(struct inode *d, struct proc *t, const char *name)
{
    procfs_put("rchar: %lu\nwchar: %lu\nsyscr: %lu\nsyscw: %lu\nread_bytes: 0\nwrite_bytes: 0\n"
               "cancelled_write_bytes: 0\n",
               (unsigned long)t->io.rchar, (unsigned long)t->io.wchar, (unsigned long)t->io.syscr,
               (unsigned long)t->io.syscw);
    procfs_file(d, name);
    struct inode *i = fs_dir_find(d, name, strlen(name));
    if (i)
        i->rdev = PROCSET_NODE;
}
