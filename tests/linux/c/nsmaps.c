/*
 * tests/linux/c/nsmaps.c - how /proc/PID/uid_map, gid_map, projid_map
 * and setgroups parse what root writes, each into a fresh child's user
 * namespace, as Linux's map_write and proc_setgroups_write: spaces and
 * tabs around the fields, an ending newline or none; EINVAL for an empty
 * write, an empty line, overlapping lower or upper ranges, a range that
 * wraps, a count of 0 or past 2^32, a number with 0x, + or -, a missing
 * or extra field; six lines; setgroups' words.  Run as root; nothing of
 * the host's changes.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <signal.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>

/* A child in a new user namespace, its file written (in one write), and what reads back. */
static void try(const char *label, const char *file, const char *text)
{
    int go[2];
    if (pipe(go) < 0)
        return;
    pid_t k = fork();
    if (k == 0) {
        unshare(CLONE_NEWUSER);
        (void)!write(go[1], "x", 1);
        pause();
        _exit(0);
    }
    char b;
    (void)!read(go[0], &b, 1);
    char buf[256] = "", p[64];
    int opened;
    snprintf(p, sizeof p, "/proc/%d/%s", k, file);
    long r = write_text(p, text, &opened);
    int e = errno;
    read_text(p, buf, sizeof buf);
    for (char *s = buf; *s; s++)
        if (*s == '\n')
            *s = '|';
    printf("%-28s %ld %s [%s]\n", label, r, r < 0 ? errno_name(e) : "", buf);
    kill(k, SIGKILL);
    waitpid(k, NULL, 0);
    close(go[0]), close(go[1]);
}

int main(void)
{
    if (ns_test_begin(NULL, 0, "nsmaps"))
        return 0;
    try("plain", "uid_map", "0 0 1");
    try("newline", "uid_map", "0 0 1\n");
    try("spaces", "uid_map", "  0   0   1  \n");
    try("tabs", "uid_map", "0\t0\t1");
    try("empty", "uid_map", "");
    try("nl only", "uid_map", "\n");
    try("two nl", "uid_map", "0 0 1\n\n");
    try("lower overlap", "uid_map", "0 0 2\n5 1 1");
    try("upper overlap", "uid_map", "0 0 2\n1 5 1");
    try("wrap", "uid_map", "4294967295 0 2");
    try("count 0", "uid_map", "0 0 0");
    try("hex", "uid_map", "0x0 0 1");
    try("plus", "uid_map", "+0 0 1");
    try("neg", "uid_map", "-1 0 1");
    try("extra field", "uid_map", "0 0 1 1");
    try("two fields", "uid_map", "0 0");
    try("huge", "uid_map", "0 0 4294967295");
    try("count 2^32", "uid_map", "0 0 4294967296");
    try("6 lines", "uid_map", "0 0 1\n1 1 1\n2 2 1\n3 3 1\n4 4 1\n5 5 1\n");
    try("setgroups deny", "setgroups", "deny");
    try("setgroups allow", "setgroups", "allow\n");
    try("setgroups junk", "setgroups", "den");
    try("projid", "projid_map", "0 0 1");
    try("gid", "gid_map", "0 0 1");
    return 0;
}
