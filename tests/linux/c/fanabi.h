/*
 * tests/linux/c/fanabi.h - what the fanotify tests share: struct
 * fanotify_event_metadata as the ABI lays it out (meta), the FID
 * reporting flags of linux/fanotify.h, and the two calls made raw (musl
 * has no wrappers of its own for every flag).
 */
#ifndef TESTS_LINUX_FANABI_H
#define TESTS_LINUX_FANABI_H
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAN_REPORT_FID 0x200
#define FAN_REPORT_DIR_FID 0x400
#define FAN_REPORT_NAME 0x800
#define FAN_REPORT_TARGET_FID 0x1000
#define FAN_REPORT_DFID_NAME (FAN_REPORT_DIR_FID | FAN_REPORT_NAME)

struct meta {
    uint32_t event_len;
    uint8_t vers, reserved;
    uint16_t metadata_len;
    uint64_t mask;
    int32_t fd, pid;
};

static inline long fan_init(unsigned flags, unsigned f_flags) { return syscall(SYS_fanotify_init, flags, f_flags); }
static inline long fan_mark(int g, unsigned flags, uint64_t mask, int dfd, const char *path)
{
    return syscall(SYS_fanotify_mark, g, flags, mask, dfd, path);
}
#endif
