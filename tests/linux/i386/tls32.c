/*
 * tests/linux/i386/tls32.c - i386 thread-local storage: set_thread_area
 * picks a free TLS slot of the GDT (entry_number -1) or replaces one, a
 * selector for it loaded into %fs reads the memory it describes,
 * get_thread_area reads the slot back, and bad entries are refused; then
 * -m32 glibc's pthreads, whose %gs slot each new thread gets from clone's
 * CLONE_SETTLS (a struct user_desc on i386): __thread variables apart in
 * 4 threads, joined through futexes.  Built gcc -m32 -static; the output
 * must equal the host Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../c/check.h"

static uint32_t block[4] = {0x11223344, 0x55667788};
static __thread int mine = 100;

static uint32_t read_fs(unsigned entry, unsigned offset)
{
    uint32_t v;
    unsigned short sel = (unsigned short)(entry << 3 | 3);
    __asm__ volatile("movw %1, %%fs\n\tmovl %%fs:(%2), %0" : "=r"(v) : "r"(sel), "r"(offset) : "memory");
    __asm__ volatile("movw %0, %%fs" : : "r"((unsigned short)0));
    return v;
}

static void slots(void)
{
    struct user_desc d = {.entry_number = -1, .base_addr = (uintptr_t)block, .limit = 0xfffff, .seg_32bit = 1,
                          .limit_in_pages = 1, .useable = 1};
    unsigned short gs;
    __asm__("movw %%gs, %0" : "=r"(gs));
    printf("glibc's %%gs is a GDT TLS selector: index %d, rpl %d\n", gs >> 3, gs & 3);
    CHECK(syscall(SYS_set_thread_area, &d));
    printf("  new entry %d (after glibc's)\n", d.entry_number);
    printf("  %%fs:0 %#x, %%fs:4 %#x\n", read_fs(d.entry_number, 0), read_fs(d.entry_number, 4));
    block[0] = 0xcafe;
    d.base_addr = (uintptr_t)&block[1];
    CHECK(syscall(SYS_set_thread_area, &d));
    printf("  replaced: %%fs:0 %#x\n", read_fs(d.entry_number, 0));
    struct user_desc back = {.entry_number = d.entry_number};
    CHECK(syscall(SYS_get_thread_area, &back));
    printf("  read back: base is block[1] %d, limit %#x, pages %d\n", back.base_addr == (uintptr_t)&block[1],
           back.limit, back.limit_in_pages);
    struct user_desc bad = d;
    bad.entry_number = 3;
    CHECK(syscall(SYS_set_thread_area, &bad));
    bad.entry_number = 99;
    CHECK(syscall(SYS_get_thread_area, &bad));
    CHECK(syscall(SYS_set_thread_area, (void *)16));
    struct user_desc more = {.entry_number = -1, .limit = 1, .seg_32bit = 1};
    CHECK(syscall(SYS_set_thread_area, &more));
    printf("  the last slot: entry %d\n", more.entry_number);
    more.entry_number = -1;
    CHECK(syscall(SYS_set_thread_area, &more));
}

static void *worker(void *arg)
{
    mine += (int)(intptr_t)arg;
    usleep(10000);
    return (void *)(intptr_t)mine;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    slots();
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)(i + 1));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d's __thread value %d\n", i, (int)(intptr_t)r);
    }
    printf("the main thread's %d\n", mine);
    return 0;
}
