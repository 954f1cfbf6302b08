/*
 * personalities/linux/sys.c - the system as a program asks about it:
 * uname with the names sethostname and setdomainname set (and UNAME26's
 * 2.6 release), sysinfo,
 * personality, and reboot (which powers the machine off); prctl is prctl.c's.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: calls, over proc and procfs's load averages.  Book: docs/linux.md, "Programs and processes".
 */
#include "klog.h"
#include "proc.h"
#include "userns.h"
#include "pidns.h"
#include "time.h"
#include "procfs.h"
#include "timens.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/sys.h" /* generated: the handlers' prototypes, entries */

/* The initial UTS namespace's names, as uname shows them: the node name
 * (the host name) and the NIS domain name, each at most __NEW_UTS_LEN
 * bytes; a UTS namespace of its own has its own (ns.c). */
char linux_hostname[__NEW_UTS_LEN + 1] = "persona", linux_domainname[__NEW_UTS_LEN + 1] = "(none)";

static int64_t sys_uname(struct sys_ctx *c, uint64_t ubuf)
{
    char u[6][__NEW_UTS_LEN + 1];
    memset(u, 0, sizeof u);
    strcpy(u[0], "Linux");
    strcpy(u[1], ns_of(c->p, NS_UTS)->host);
    strcpy(u[2], LINUX_RELEASE);
    strcpy(u[3], LINUX_VERSION);
    /* LAB(syscall): solution */
    strcpy(u[4], "x86_64");
    /* LAB(syscall): skeleton
    // the machine field (uname -m)
    LAB(syscall): end */
    strcpy(u[5], ns_of(c->p, NS_UTS)->domain);
    if (c->p->personality & UNAME26) { /* Linux's override_release: 2.6.(60 + the minor version), the rest kept */
        const char *rest = LINUX_RELEASE, *minor = strchr(LINUX_RELEASE, '.');
        for (int dots = 0; *rest && (*rest != '.' || ++dots < 3) && (*rest == '.' || (*rest >= '0' && *rest <= '9'));)
            rest++;
        memset(u[2], 0, sizeof u[2]);
        snprintf(u[2], sizeof u[2], "2.6.%d%s", 60 + (minor ? atoi(minor + 1) : 0), rest);
    }
    return mem_out(c->p, ubuf, u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
}

/* sethostname and setdomainname: len bytes (not NUL-terminated) at name;
 * CAP_SYS_ADMIN in the user namespace owning the caller's UTS one. */
static int64_t set_name(struct sys_ctx *c, char *to, uint64_t name, int len)
{
    char buf[__NEW_UTS_LEN + 1];
    if (!cred_ns_capable(&c->p->cred, ns_of(c->p, NS_UTS)->owner, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (len < 0 || len > __NEW_UTS_LEN)
        return -LINUX_EINVAL;
    if (mem_in(c->p, buf, name, (size_t)len) < 0)
        return -LINUX_EFAULT;
    memcpy(to, buf, (size_t)len);
    to[len] = '\0';
    return 0;
}

static int64_t sys_sethostname(struct sys_ctx *c, uint64_t name, int len)
{
    return set_name(c, ns_of(c->p, NS_UTS)->host, name, len);
}

static int64_t sys_setdomainname(struct sys_ctx *c, uint64_t name, int len)
{
    return set_name(c, ns_of(c->p, NS_UTS)->domain, name, len);
}

/* LAB(syscall): solution */
static int64_t sys_sysinfo(struct sys_ctx *c, uint64_t uinfo)
{
    struct sysinfo_k si;
    struct persona_memstats ms;
    memset(&si, 0, sizeof si);
    if (sys_stats(STATS_MEMORY, -1, &ms, sizeof ms) < 0)
        return -LINUX_EFAULT;
    uint64_t up = timens_from_host(c->p, CLOCK_BOOTTIME, clock_now());
    si.uptime = (int64_t)(up / 1000000000 + (up % 1000000000 != 0)); /* rounded up, as Linux's do_sysinfo */
    loadavg_get(si.loads, SI_LOAD_SHIFT - LOADAVG_FSHIFT);
    si.totalram = ms.total_bytes;
    si.freeram = ms.free_bytes;
    for (struct proc *p = proc_list(); p; p = p->next)
        si.procs += !p->zombie;
    si.mem_unit = 1;
    return mem_out(c->p, uinfo, &si, sizeof si) < 0 ? -LINUX_EFAULT : 0;
}
/* LAB(syscall): skeleton
// sysinfo(2) goes here: fill a struct sysinfo_k (uptime, memory, process
// count) and copy it out to the process.
LAB(syscall): end */


/* personality(2): 0xffffffff asks; any other value is set as it is (Linux
 * checks none), and the old one returned. */
static int64_t sys_personality(struct sys_ctx *c, uint64_t persona)
{
    uint32_t old = c->p->personality;
    if ((uint32_t)persona != 0xffffffffu)
        c->p->personality = (uint32_t)persona;
    return old;
}

/* reboot(2)'s magic numbers and commands (linux/reboot.h). */
#define REBOOT_MAGIC1 0xfee1deadu
#define REBOOT_CMD_RESTART 0x01234567u
#define REBOOT_CMD_HALT 0xcdef0123u
#define REBOOT_CMD_CAD_ON 0x89abcdefu
#define REBOOT_CMD_CAD_OFF 0x00000000u
#define REBOOT_CMD_POWER_OFF 0x4321fedcu

/* The machine stops: power off, halt and restart all end it (QEMU runs
 * with -no-reboot), with status 0, as init's exit 0 does.  Ctrl-Alt-Del's
 * setting is taken and has nothing to act on.  In a pid namespace below
 * the initial one it is the namespace that ends (pidns_reboot). */
static int64_t sys_reboot(struct sys_ctx *c, uint32_t magic1, uint32_t magic2, uint32_t cmd)
{
    if (!cred_ns_capable(&c->p->cred, userns_owner(ns_of(c->p, NS_PID)), CAP_SYS_BOOT)) /* before the magic numbers */
        return -LINUX_EPERM;
    if (magic1 != REBOOT_MAGIC1 ||
        (magic2 != 672274793 && magic2 != 85072278 && magic2 != 369367448 && magic2 != 537993216))
        return -LINUX_EINVAL;
    int r = pidns_level(ns_of(c->p, NS_PID)) ? pidns_reboot(c->p, cmd) : 0;
    if (r != 0) {
        c->no_reply = r > 0; /* the caller ended */
        return r < 0 ? r : 0;
    }
    switch (cmd) {
    case REBOOT_CMD_CAD_ON:
    case REBOOT_CMD_CAD_OFF:
        return 0;
    case REBOOT_CMD_POWER_OFF:
    case REBOOT_CMD_HALT:
    case REBOOT_CMD_RESTART:
        if (linux_power < 0)
            return -LINUX_EPERM;
        klog(KERN_NOTICE, "linux: the machine is powered off (reboot)");
        trace_summary();
        sys_machine_exit(linux_power, 0);
        return -LINUX_EPERM; /* not reached */
    default:
        return -LINUX_EINVAL;
    }
}
