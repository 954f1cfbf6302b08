/*
 * kernel/uvm.h - user address spaces: the memory calls servers make on
 * tasks they hold (map, unmap, protect, share, clone, read, write), the
 * copy-on-write fault, and the typed copy helpers through which the kernel
 * touches user memory.  The kernel never dereferences a user pointer: every
 * access walks the task's page tables and goes through the direct map, so
 * SMAP never needs lifting and a bad pointer is just -EFAULT.
 * Book: docs/memory.md.
 */
#ifndef PERSONA_UVM_H
#define PERSONA_UVM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;

/* Copies between kernel memory and a task's user memory; -EFAULT if any
 * page is absent or lacks the right.  force writes read-only pages too
 * (used for servers writing their clients' memory). */
int uvm_copy_in(struct task *t, void *dst, uint64_t va, size_t n);
int uvm_copy_out(struct task *t, uint64_t va, const void *src, size_t n, bool force);
/* Between two tasks' user memory (force as for uvm_copy_out, on dst). */
int uvm_copy_between(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, size_t n, bool force);
/* Current task; the typed helpers syscall handlers use. */
int copy_from_user(void *dst, uint64_t va, size_t n);
int copy_to_user(uint64_t va, const void *src, size_t n);

/* Returns 0 if va was a copy-on-write page and is now private. */
int uvm_cow_fault(struct task *t, uint64_t va);
int uvm_map_zero(struct task *t, uint64_t va, uint64_t len, int prot);
int uvm_unmap(struct task *t, uint64_t va, uint64_t len);
int uvm_protect(struct task *t, uint64_t va, uint64_t len, int prot);
int uvm_share(struct task *src, uint64_t sva, struct task *dst, uint64_t dva, uint64_t len, int flags);
/* Copy-on-write clone into the empty task dst. */
int uvm_clone(struct task *src, struct task *dst);
/* Takes a reference on the frame behind a writable user page, which stays
 * shared (not copy-on-write) in clones; 0 if none. */
uint64_t uvm_pin(struct task *t, uint64_t va);
/* Checks a page-aligned range lies in the user half. */
bool uvm_range_ok(uint64_t va, uint64_t len);

#endif
