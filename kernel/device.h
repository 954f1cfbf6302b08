/*
 * kernel/device.h - device grants: an IRQ line, a range of I/O ports, or
 * the power switch, derived by the root task (sys_boot.c) from the root
 * device it holds (root_task.c), and used through sys_ipc.c.
 * Book: docs/objects.md.
 */
#ifndef PERSONA_DEVICE_H
#define PERSONA_DEVICE_H
#include "object.h"
#include <stdbool.h>
#include <stdint.h>

struct notif;

struct device {
    struct kobject obj;
    int irq;                /* -1: none */
    uint16_t port, nports;  /* nports 0: none */
    bool power;             /* may power the machine off */
    bool root;              /* the root device: grants derive from it */
    struct notif *notif;    /* IRQ delivery */
    uint64_t bits;
};

struct device *device_create(int irq, uint16_t port, uint16_t nports, bool power);
void device_destroy(struct device *d);
int device_irq_bind(struct device *d, struct notif *n, uint64_t bits);
/* Opens the device's ports in the task's I/O bitmap. */
int device_ports_enable(struct device *d, uint8_t **iobitmap);

#endif
