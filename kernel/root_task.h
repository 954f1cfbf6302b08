/*
 * kernel/root_task.h - root_task_start (root_task.c), called once by
 * kernel_main: starts the boot module named init as the root task, or
 * says why not and powers off (EXIT_NO_INIT): nothing else would run.
 * Book: docs/boot.md.
 */
#ifndef PERSONA_ROOT_TASK_H
#define PERSONA_ROOT_TASK_H
struct boot_info;
void root_task_start(const struct boot_info *bi);
#endif
