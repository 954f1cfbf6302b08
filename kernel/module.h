/*
 * kernel/module.h - starting the boot modules as tasks (module.c).
 * Book: docs/userspace.md.
 */
#ifndef PERSONA_MODULE_H
#define PERSONA_MODULE_H

struct boot_info;
void module_start_all(const struct boot_info *bi);

#endif
