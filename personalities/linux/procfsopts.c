/*
 * personalities/linux/procfsopts.c - a proc mount's options, as Linux
 * 6.1's fs/proc/root.c takes them: hidepid= (off, noaccess, invisible,
 * ptraceable, or 0, 1, 2, 4) hides the processes a reader may not
 * ptrace, unless it is in the group gid= names; subset=pid shows the
 * processes alone (and self, thread-self).  Here: their parse, their
 * text in /proc/mounts, and whether a reader may see a process
 * (has_pid_permissions).
 *
 * Entry points: procfs_parse, procfs_opts_text, procfs_may_see
 * (procfs.h).  Callers: mount.c (a proc's mount), procfs.c (its
 * instances).  Layer: procfs.  Book: docs/linux.md, "/proc".
 */
#include "proc.h"
#include "procfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole unsigned number (kstrtouint, base 0), or -1. */
static long number(const char *s)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long v = strtoul(s, &end, 0);
    return *end || v > 0xffffffffu ? -1 : (long)v;
}

int procfs_parse(const char *data, struct procfs_opts *o)
{
    static const char *const names[] = {"off", "noaccess", "invisible", NULL, "ptraceable"};
    char buf[256];
    *o = (struct procfs_opts){0};
    snprintf(buf, sizeof buf, "%s", data ? data : "");
    for (char *save, *opt = strtok_r(buf, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        char *v = strchr(opt, '=');
        if (v)
            *v++ = '\0';
        long n = v ? number(v) : -1;
        if (!strcmp(opt, "gid") && v && n >= 0) {
            o->gid = (uint32_t)n;
        } else if (!strcmp(opt, "hidepid") && v) {
            o->hidepid = -1;
            for (int i = 0; i < 5; i++)
                if ((n == i || (names[i] && !strcmp(v, names[i]))) && names[i])
                    o->hidepid = i;
            if (o->hidepid < 0)
                return -LINUX_EINVAL; /* proc_parse_hidepid_param */
        } else if (!strcmp(opt, "subset") && v) {
            if (*v && strcmp(v, "pid"))
                return -LINUX_EINVAL; /* "unsupported subset option" */
            o->pidonly = *v != '\0';
        } else {
            return -LINUX_EINVAL; /* an unknown one, or one without its value */
        }
        o->given = true;
    }
    return 0;
}

void procfs_opts_text(const struct procfs_opts *o, char *buf, size_t size)
{
    static const char *const names[] = {"off", "noaccess", "invisible", NULL, "ptraceable"};
    int n = 0;
    buf[0] = '\0';
    if (o->gid)
        n += snprintf(buf + n, size - (size_t)n, ",gid=%u", o->gid);
    if (o->hidepid && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ",hidepid=%s", names[o->hidepid]);
    if (o->pidonly && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ",subset=pid");
}

bool procfs_may_see(const struct procfs_opts *o, struct proc *p, int min)
{
    struct proc *v = procfs_viewer();
    if (!v || proc_group(v) == proc_group(p))
        return true; /* the server's own look, or the reader's own process */
    if (o->hidepid == PROC_HIDEPID_PTRACEABLE)
        return proc_may_ptrace(v, p);
    if (o->hidepid < min || fs_in_group(o->gid)) /* gid= (0, root's, unless given) is let see all */
        return true;
    return proc_may_ptrace(v, p);
}
