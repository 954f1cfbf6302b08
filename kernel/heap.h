/*
 * kernel/heap.h - the kernel heap: kmalloc/kfree for kernel objects.
 * Returns NULL when memory runs out; callers turn that into -ENOMEM.
 * Book: docs/memory.md.
 */
#ifndef PERSONA_HEAP_H
#define PERSONA_HEAP_H
#include <stddef.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
