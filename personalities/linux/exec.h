/*
 * personalities/linux/exec.h - starting programs: execve, with "#!"
 * scripts (exec.c), over the ELF loader and the initial stack (elf.c).
 *
 * Entry points: proc_start_init (main.c: process 1), elf_exec (exec.c).
 *
 * Layer: above proc.h and fs.h.  Book: docs/linux.md, "Programs and
 * processes".
 */
#ifndef LINUX_EXEC_H
#define LINUX_EXEC_H
#include <stdint.h>

struct proc;
/* Process 1, running argv[0] with the console as descriptors 0, 1, 2. */
int proc_start_init(const char *const argv[], int argc);
/* The file execveat names (by descriptor, or from a directory), which the
 * first lookup of the program takes instead of its path; NULL for execve
 * and for a script's interpreter (exec.c). */
struct inode;
extern struct inode *exec_at;
/* Loads the ELF program at path into p's task (which p->task names) and
 * memory map, and writes its initial stack; its entry point and stack
 * pointer; 0 or -errno (ENOEXEC for anything it does not take). */
int elf_exec(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
             uint64_t *entry, uint64_t *sp);

#endif
