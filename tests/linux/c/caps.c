/*
 * tests/linux/c/caps.c - capabilities as they follow the uids (without
 * file capabilities): root's effective set holds what it needs; seteuid
 * to another user empties it and keeps the permitted one, seteuid back
 * refills it; setfsuid moves only the file-system ones; losing every root
 * uid empties both (unless PR_SET_KEEPCAPS); capset narrows them and a
 * check then fails (chown without CAP_CHOWN); capget's and capset's
 * versions and errors.  Printed as relations, not raw masks, so that a
 * host whose root lacks some capability (a container) prints the same.
 * The output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* linux/capability.h's, which musl does not carry */
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_SYS_BOOT 22
struct __user_cap_header_struct {
    uint32_t version;
    int pid;
};
struct __user_cap_data_struct {
    uint32_t effective, permitted, inheritable;
};

static struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
static struct __user_cap_data_struct data[2];

static uint64_t eff(void) { return data[0].effective | (uint64_t)data[1].effective << 32; }
static uint64_t prm(void) { return data[0].permitted | (uint64_t)data[1].permitted << 32; }
static int has(uint64_t set, int cap) { return (int)(set >> cap & 1); }

static void show(const char *when)
{
    hdr.version = _LINUX_CAPABILITY_VERSION_3, hdr.pid = 0;
    syscall(SYS_capget, &hdr, data);
    printf("%s: effective %s, permitted %s; setuid %d chown %d dac_override %d kill %d\n", when,
           eff() == 0 ? "empty" : eff() == prm() ? "= permitted" : "part of permitted",
           prm() == 0 ? "empty" : "not empty", has(eff(), CAP_SETUID), has(eff(), CAP_CHOWN),
           has(eff(), CAP_DAC_OVERRIDE), has(eff(), CAP_KILL));
}

int main(void)
{
    show("root");
    struct __user_cap_header_struct bad = {0x1234, 0};
    CHECK(syscall(SYS_capget, &bad, data));
    printf("the version capget asks for: %#x\n", bad.version);
    bad.version = 0x1234;
    CHECK(syscall(SYS_capget, &bad, NULL));
    struct __user_cap_header_struct other = {_LINUX_CAPABILITY_VERSION_3, -1};
    CHECK(syscall(SYS_capget, &other, data));
    other.pid = 999999;
    CHECK(syscall(SYS_capget, &other, data));
    CHECK(syscall(SYS_capget, (void *)8, data));
    CHECK(prctl(PR_CAPBSET_READ, 21 /* CAP_SYS_ADMIN */, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, 63, 0, 0, 0));

    CHECK(syscall(SYS_setresuid, -1, 1000, -1));
    show("euid 1000");
    CHECK(syscall(SYS_setresuid, -1, 0, -1));
    show("euid 0 again");
    CHECK(setfsuid(1000));
    show("fsuid 1000");
    CHECK(setfsuid(0));
    show("fsuid 0 again");

    /* capset: drop CAP_CHOWN from the effective set; chown fails; raise it again */
    int fd = open("caps-file", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    close(fd);
    show("before capset");
    hdr.version = _LINUX_CAPABILITY_VERSION_3, hdr.pid = 0;
    syscall(SYS_capget, &hdr, data);
    data[0].effective &= ~(1u << CAP_CHOWN);
    CHECK(syscall(SYS_capset, &hdr, data));
    CHECK(chown("caps-file", 1234, -1));
    data[0].effective |= 1u << CAP_CHOWN;
    CHECK(syscall(SYS_capset, &hdr, data));
    CHECK(chown("caps-file", 1234, -1));
    data[0].permitted &= ~(1u << CAP_SYS_BOOT);
    data[0].effective &= ~(1u << CAP_SYS_BOOT);
    CHECK(syscall(SYS_capset, &hdr, data));
    data[0].permitted |= 1u << CAP_SYS_BOOT;
    CHECK(syscall(SYS_capset, &hdr, data)); /* the permitted set never grows */
    data[0].permitted &= ~(1u << CAP_SYS_BOOT);
    data[0].effective |= 1u << CAP_SYS_BOOT;
    CHECK(syscall(SYS_capset, &hdr, data)); /* nor the effective past it */
    hdr.pid = 999999; /* another process, or none: not ours to set */
    data[0].effective &= ~(1u << CAP_SYS_BOOT);
    CHECK(syscall(SYS_capset, &hdr, data));

    /* every root uid gone: both empty, unless keepcaps */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
        syscall(SYS_setresuid, 1000, 1000, 1000);
        show("all uids 1000, keepcaps");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
    show("all uids 1000");
    CHECK(syscall(SYS_setresuid, 0, 0, 0));
    unlink("caps-file");
    return 0;
}
