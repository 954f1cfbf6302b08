/*
 * kernel/sys_boot.c - the kernel call through which the root task hands
 * out the machine: device_create derives a device grant from the root
 * device (root_task.c gives the root task its handle).  Called from the
 * dispatch table (syscall.c).
 * Book: docs/objects.md ("What stayed in the kernel"), abi.md.
 */
#include "device.h"
#include "errno.h"
#include "syscall.h"

int64_t sys_device_create(int root_h, int irq, uint32_t port, uint32_t nports, int power)
{
    int64_t err;
    int64_t line = (int64_t)irq;
    uint32_t rights = (line >= 0 ? R_IRQ : 0) | (nports ? R_IOPORT : 0) | (power ? R_POWER : 0);
    struct device *root = sys_object(root_h, OBJ_DEVICE, rights, &err);
    if (!root)
        return err;
    if (!root->root)
        return -EACCES;
    if (!rights || line < -1 || line == 0 || line >= 16 || port > 0xffff || nports > 0x10000 - port ||
        nports > 0xffff)
        return -EINVAL;
    struct device *d = device_create((int)line, (uint16_t)port, (uint16_t)nports, power != 0);
    if (!d)
        return -ENOMEM;
    return sys_install(&d->obj, rights | R_GRANT, 0);
}
