/*
 * libc/include/persona/pico.h - helpers for servers: loading a static
 * ELF64 executable into a task they hold (the root task starts the boot
 * modules with it), or into a new pico task (personalities).
 */
#ifndef PERSONA_PICO_H
#define PERSONA_PICO_H
#include <stddef.h>
#include <stdint.h>

#define PICO_STACK_TOP 0x7fff00000000ull
#define PICO_STACK_SIZE 0x10000ull

/* Loads the ELF image's PT_LOAD segments with their protections into the
 * task (a handle with R_MAP), through elf_load of <persona/elf.h>.  Returns
 * 0 and the entry point, ELF_ENOEXEC (-ENOEXEC) for a bad image, or the
 * error of a failing memory call. */
int elf_load_task(int task, const void *img, size_t size, uint64_t *entry);

/* Creates a pico task of the personality serving ep (badge names it),
 * loads the ELF image's PT_LOAD segments with their protections, maps a
 * stack below PICO_STACK_TOP and starts one thread at the entry point with
 * rdi = arg and the given thread badge.  Returns 0 and the task and thread
 * handles, or a negative errno (ENOEXEC for a bad image). */
int pico_load_elf(int ep, const void *img, size_t size, uint64_t badge, uint64_t arg, uint64_t thread_badge,
                  int *task_h, int *thread_h);

/* The same, with the stack a C program's _start expects (System V): rsp
 * at argc, then argc pointers to argv's strings, a NULL, and an empty
 * environment (a NULL); rdi is 0.  At most PICO_ARGV_MAX arguments of
 * PICO_ARGV_BYTES in all, or -E2BIG. */
#define PICO_ARGV_MAX 64
#define PICO_ARGV_BYTES 4096
int pico_load_elf_argv(int ep, const void *img, size_t size, uint64_t badge, uint64_t thread_badge, int argc,
                       const char *const argv[], int *task_h, int *thread_h);

#endif
