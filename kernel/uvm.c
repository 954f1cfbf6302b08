/*
 * kernel/uvm.c - user memory (see uvm.h).  A present user page is one of:
 *   private, writable or not (PTE_W);
 *   copy-on-write (PTE_COW, mapped read-only; PTE_LW if logically
 *     writable): its frame may be shared with clones, and is copied before
 *     the first write (unless the others have gone);
 *   shared (PTE_SHARED, from mem_share): writes go to the shared frame, and
 *     clones share it too.
 * Book: docs/memory.md.
 */
#include "uvm.h"
#include "errno.h"
#include "pmm.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "vm.h"
#include "x86.h"
#include <persona/abi.h>

bool uvm_range_ok(uint64_t va, uint64_t len)
{
    return !(va & 0xfff) && !(len & 0xfff) && va < USER_END && len <= USER_END - va;
}

static uint64_t prot_flags(int prot)
{
    return PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0) | ((prot & PROT_EXEC) ? 0 : PTE_NX);
}

/* Makes a copy-on-write page private (copying the frame if it is still
 * shared) with its logical permission; returns the entry or NULL. */
static uint64_t *break_cow(struct task *t, uint64_t va, uint64_t *pte)
{
    /* LAB(cow): solution */
    uint64_t old = *pte & PTE_ADDR;
    if (pmm_refcount(old) > 1) {
        uint64_t fresh = pmm_alloc();
        if (!fresh)
            return NULL;
        memcpy(phys_to_virt(fresh), phys_to_virt(old), PAGE_SIZE);
        pmm_unref(old);
        *pte = (*pte & ~PTE_ADDR) | fresh;
    }
    *pte = (*pte & ~(PTE_COW | PTE_LW)) | ((*pte & PTE_LW) ? PTE_W : 0);
    vm_flush(t->root, va);
    return pte;
    /* LAB(cow): skeleton
    (void)t, (void)va, (void)pte;
    return NULL; // not written yet: no page is copy-on-write
    LAB(cow): end */
}

/* The page table leaf a copy last used, so that its next pages in the
 * same 2 MiB are found without walking the tables again. */
struct leaf_cache {
    uint64_t base;  /* the 2 MiB the leaf maps */
    uint64_t *leaf; /* its 512 entries, or NULL */
};

/* The entry of a user page with the access needed, or NULL.  force: the
 * kernel writes on a server's behalf, whatever the page's permission. */
static inline __attribute__((always_inline)) uint64_t *user_pte(struct task *t, uint64_t va, bool write, bool force,
                                                                 struct leaf_cache *c)
{
    if (va >= USER_TOP || !t->root)
        return NULL;
    uint64_t *pte;
    if (c->leaf && (va & ~0x1fffffull) == c->base) {
        pte = &c->leaf[(va >> 12) & 511];
    } else if ((pte = vm_pte(t->root, va, false))) {
        c->leaf = pte - ((va >> 12) & 511);
        c->base = va & ~0x1fffffull;
    }
    if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U))
        return NULL;
    if (!write || (*pte & PTE_W))
        return pte;
    if ((*pte & PTE_COW) && ((*pte & PTE_LW) || force))
        return break_cow(t, va, pte);
    return force ? pte : NULL;
}

static int copy_user(struct task *t, uint64_t va, void *kbuf, size_t n, bool write, bool force)
{
    char *k = kbuf;
    struct leaf_cache c = {0, NULL};
    while (n) {
        size_t off = va & 0xfff, chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        uint64_t *pte = user_pte(t, va, write, force, &c);
        if (!pte)
            return -EFAULT;
        char *page = (char *)phys_to_virt(*pte & PTE_ADDR) + off;
        if (write)
            memcpy(page, k, chunk);
        else
            memcpy(k, page, chunk);
        va += chunk;
        k += chunk;
        n -= chunk;
    }
    return 0;
}

/* Task to task, page piece by page piece through the direct map: no bounce
 * buffer, one copy.  The destination page is resolved first, so that a
 * copy-on-write break it causes is seen when source and destination are
 * the same task. */
int uvm_copy_between(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, size_t n, bool force)
{
    struct leaf_cache dc = {0, NULL}, sc = {0, NULL};
    while (n) {
        size_t doff = dva & 0xfff, soff = sva & 0xfff;
        size_t chunk = PAGE_SIZE - (doff > soff ? doff : soff);
        chunk = chunk < n ? chunk : n;
        uint64_t *dpte = user_pte(dst, dva, true, force, &dc);
        uint64_t *spte = dpte ? user_pte(src, sva, false, false, &sc) : NULL;
        if (!spte)
            return -EFAULT;
        /* memmove: a task may copy within itself, overlapping */
        memmove((char *)phys_to_virt(*dpte & PTE_ADDR) + doff, (char *)phys_to_virt(*spte & PTE_ADDR) + soff, chunk);
        dva += chunk;
        sva += chunk;
        n -= chunk;
    }
    return 0;
}

int uvm_copy_in(struct task *t, void *dst, uint64_t va, size_t n) { return copy_user(t, va, dst, n, false, false); }
int uvm_copy_out(struct task *t, uint64_t va, const void *src, size_t n, bool force)
{
    return copy_user(t, va, (void *)src, n, true, force);
}
int copy_from_user(void *dst, uint64_t va, size_t n) { return uvm_copy_in(current()->task, dst, va, n); }
int copy_to_user(uint64_t va, const void *src, size_t n) { return uvm_copy_out(current()->task, va, src, n, false); }

int uvm_cow_fault(struct task *t, uint64_t va)
{
    /* LAB(cow): solution */
    uint64_t *pte = vm_pte(t->root, va & ~0xfffull, false);
    if (!pte || !(*pte & PTE_P) || !(*pte & PTE_COW) || !(*pte & PTE_LW))
        return -1;
    return break_cow(t, va & ~0xfffull, pte) ? 0 : -1;
    /* LAB(cow): skeleton
    (void)t, (void)va;
    return -1; // every write fault goes on to the task's pager, or kills it
    LAB(cow): end */
}

uint64_t uvm_pin(struct task *t, uint64_t va)
{
    struct leaf_cache c = {0, NULL};
    uint64_t *pte = user_pte(t, va, true, false, &c);
    if (!pte)
        return 0;
    t->shared += !(*pte & PTE_SHARED);
    *pte |= PTE_SHARED; /* a clone must not make the kernel's frame copy-on-write */
    uint64_t pa = *pte & PTE_ADDR;
    return pmm_ref(pa) == 0 ? pa : 0;
}

static void unmap_page(struct task *t, uint64_t va)
{
    uint64_t old = vm_unmap(t->root, va);
    if (old & PTE_P) {
        t->pages--, t->shared -= (old & PTE_SHARED) != 0;
        pmm_unref(old & PTE_ADDR);
        vm_flush(t->root, va);
    }
}

int uvm_unmap(struct task *t, uint64_t va, uint64_t len)
{
    if (!uvm_range_ok(va, len))
        return -EINVAL;
    for (uint64_t a = vm_next(t->root, va); a < va + len; a = vm_next(t->root, a + PAGE_SIZE))
        unmap_page(t, a); /* empty stretches are skipped whole */
    vm_prune(t->root, va, len);
    return 0;
}

int uvm_map_zero(struct task *t, uint64_t va, uint64_t len, int prot)
{
    if (!uvm_range_ok(va, len))
        return -EINVAL;
    if (len / PAGE_SIZE > pmm_free_frames())
        return -ENOMEM; /* at once, when the frames alone cannot fit; else the loop finds out, and undoes */
    for (uint64_t a = va; a < va + len; a += PAGE_SIZE) {
        uint64_t pa = pmm_alloc(), *pte = pa ? vm_pte(t->root, a, true) : NULL;
        if (!pte) {
            if (pa)
                pmm_unref(pa);
            uvm_unmap(t, va, a - va);
            return -ENOMEM;
        }
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        unmap_page(t, a);
        vm_map(t->root, a, pa, prot_flags(prot));
        t->pages++;
    }
    return 0;
}

int uvm_protect(struct task *t, uint64_t va, uint64_t len, int prot)
{
    if (!uvm_range_ok(va, len))
        return -EINVAL;
    for (uint64_t a = vm_next(t->root, va); a < va + len; a = vm_next(t->root, a + PAGE_SIZE)) { /* holes skipped */
        uint64_t *pte = vm_pte(t->root, a, false), pa;
        if (!pte || !(*pte & PTE_P))
            continue;
        pa = *pte & PTE_ADDR;
        uint64_t flags = prot_flags(prot) | (*pte & (PTE_COW | PTE_SHARED));
        if ((flags & PTE_COW) && (flags & PTE_W))
            flags = (flags & ~PTE_W) | PTE_LW; /* still copy-on-write */
        vm_map(t->root, a, pa, flags);
        vm_flush(t->root, a);
    }
    return 0;
}

int uvm_share(struct task *src, uint64_t sva, struct task *dst, uint64_t dva, uint64_t len, int flags)
{
    if (!uvm_range_ok(sva, len) || !uvm_range_ok(dva, len) || (src == dst && !(flags & SHARE_MOVE)))
        return -EINVAL;
    for (uint64_t off = 0; off < len; off += PAGE_SIZE) { /* all there, and none copy-on-write */
        uint64_t *pte = vm_pte(src->root, sva + off, false);
        if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || ((*pte & PTE_COW) && !break_cow(src, sva + off, pte)))
            return -EFAULT;
    }
    uint64_t shared = (flags & (SHARE_MOVE | SHARE_COW)) ? 0 : PTE_SHARED, dflags = prot_flags(flags) | shared;
    /* LAB(cow): solution */
    if (flags & SHARE_COW) /* read-only until the first write copies it */
        dflags = (dflags & PTE_W) ? ((dflags & ~PTE_W) | PTE_COW | PTE_LW) : (dflags | PTE_COW);
    /* LAB(cow): skeleton
    LAB(cow): end */
    for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
        uint64_t *spte = vm_pte(src->root, sva + off, false), pa = *spte & PTE_ADDR;
        uint64_t *pte = vm_pte(dst->root, dva + off, true);
        /* LAB(cow): solution */
        if (!pte || pmm_ref(pa) < 0)
            return -ENOMEM;
        /* LAB(cow): skeleton
        if (!pte)
            return -ENOMEM;
        if (flags & SHARE_COW) { // a private copy at once, where a copy-on-write page would wait for a write
            uint64_t copy = pmm_alloc();
            if (!copy)
                return -ENOMEM;
            memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
            pa = copy;
        } else if (pmm_ref(pa) < 0) {
            return -ENOMEM;
        }
        LAB(cow): end */
        src->shared += shared && !(*spte & PTE_SHARED);
        *spte |= shared;
        unmap_page(dst, dva + off);
        vm_map(dst->root, dva + off, pa, dflags);
        dst->pages++, dst->shared += shared != 0;
        if (flags & SHARE_MOVE)
            unmap_page(src, sva + off);
    }
    return 0;
}

/* Copies one page table's leaves (the 2 MiB at base): private pages
 * become copy-on-write in both tasks, shared pages stay shared. */
static int clone_leaves(uint64_t *s, struct task *dst, uint64_t base)
{
    uint64_t *d = vm_pte(dst->root, base, true); /* base is 2 MiB aligned: entry 0 of the table */
    if (!d)
        return -ENOMEM;
    for (int i = vm_used(s, 0); i < 512; i = vm_used(s, i + 1)) {
        if (!(s[i] & PTE_P))
            continue;
        /* LAB(cow): solution */
        if (pmm_ref(s[i] & PTE_ADDR) < 0) /* the count is full */
            return -ENOMEM;
        if (s[i] & PTE_W && !(s[i] & PTE_SHARED))
            s[i] = (s[i] & ~PTE_W) | PTE_COW | PTE_LW;
        else if (!(s[i] & PTE_SHARED))
            s[i] |= PTE_COW; /* read-only now; a later mem_protect may make it writable */
        d[i] = s[i];
        /* LAB(cow): skeleton
        if (s[i] & PTE_SHARED) { // shared pages stay shared
            if (pmm_ref(s[i] & PTE_ADDR) < 0)
                return -ENOMEM;
            d[i] = s[i];
            continue;
        }
        uint64_t copy = pmm_alloc(); // a private page: copied now, whole
        if (!copy)
            return -ENOMEM;
        memcpy(phys_to_virt(copy), phys_to_virt(s[i] & PTE_ADDR), PAGE_SIZE);
        d[i] = (s[i] & ~PTE_ADDR) | copy;
        LAB(cow): end */
    }
    return 0;
}

/* The entries of a table at shift that can hold the user half: the top
 * level's first 256 (the rest are the kernel's, in every address space),
 * every entry below it. */
static inline int user_entries(int shift) { return shift == 39 ? (int)(USER_TOP >> 39) : 512; }

/* Walks one upper page-table level of the user half down to the leaves. */
static int clone_level(uint64_t *s, struct task *dst, uint64_t base, int shift)
{
    for (int i = vm_used(s, 0); i < user_entries(shift); i = vm_used(s, i + 1)) {
        uint64_t va = base + ((uint64_t)i << shift);
        if (!(s[i] & PTE_P))
            continue;
        uint64_t *next = phys_to_virt(s[i] & PTE_ADDR);
        if ((shift > 21 ? clone_level(next, dst, va, shift - 9) : clone_leaves(next, dst, va)) < 0)
            return -ENOMEM;
    }
    return 0;
}

int uvm_clone(struct task *src, struct task *dst)
{
    int r = clone_level(phys_to_virt(src->root), dst, 0, 39);
    dst->pages = r < 0 ? 0 : src->pages, dst->shared = r < 0 ? 0 : src->shared; /* every present page, its flags copied */
    if (vm_is_active(src->root))
        write_cr3(src->root); /* writable entries became read-only */
    return r;
}
