/*
 * personalities/linux/uapi_perf.h - the Linux ABI of perf_event_open
 * (linux/perf_event.h): the event types, the software events, the read
 * formats, the call's flags, the ioctls, and struct perf_event_attr as
 * Linux 6.1 has it (PERF_ATTR_SIZE_VER7).  Beside uapi.h, for the file that
 * needs it (the same rules: Linux's names and values, checked by
 * scripts/check-uapi.py; the layout by _Static_assert).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Performance counters".
 */
#ifndef LINUX_UAPI_PERF_H
#define LINUX_UAPI_PERF_H
#include <stddef.h>
#include <stdint.h>

#define PERF_TYPE_HARDWARE 0
#define PERF_TYPE_SOFTWARE 1
#define PERF_COUNT_SW_CPU_CLOCK 0
#define PERF_COUNT_SW_TASK_CLOCK 1
#define PERF_COUNT_SW_PAGE_FAULTS 2
#define PERF_COUNT_SW_CONTEXT_SWITCHES 3
#define PERF_COUNT_SW_CPU_MIGRATIONS 4
#define PERF_COUNT_SW_PAGE_FAULTS_MIN 5
#define PERF_COUNT_SW_PAGE_FAULTS_MAJ 6
#define PERF_COUNT_SW_CGROUP_SWITCHES 11
#define PERF_COUNT_SW_MAX 12
#define PERF_FORMAT_TOTAL_TIME_ENABLED (1U << 0)
#define PERF_FORMAT_TOTAL_TIME_RUNNING (1U << 1)
#define PERF_FORMAT_ID (1U << 2)
#define PERF_FORMAT_GROUP (1U << 3)
#define PERF_FORMAT_LOST (1U << 4)
#define PERF_FORMAT_MAX (1U << 5)
#define PERF_ATTR_SIZE_VER0 64
#define PERF_ATTR_SIZE_VER7 128
#define PERF_FLAG_FD_NO_GROUP (1UL << 0)
#define PERF_FLAG_FD_OUTPUT (1UL << 1)
#define PERF_FLAG_PID_CGROUP (1UL << 2)
#define PERF_FLAG_FD_CLOEXEC (1UL << 3)
#define PERF_IOC_FLAG_GROUP (1U << 0)
#define PERF_EVENT_IOC_ENABLE 0x2400ull
#define PERF_EVENT_IOC_DISABLE 0x2401ull
#define PERF_EVENT_IOC_REFRESH 0x2402ull
#define PERF_EVENT_IOC_RESET 0x2403ull
#define PERF_EVENT_IOC_PERIOD 0x40082404ull
#define PERF_EVENT_IOC_SET_OUTPUT 0x2405ull
#define PERF_EVENT_IOC_SET_FILTER 0x40082406ull
#define PERF_EVENT_IOC_ID 0x80082407ull
#define PERF_EVENT_IOC_PAUSE_OUTPUT 0x40042409ull
#define PERF_EVENT_IOC_MODIFY_ATTRIBUTES 0x4008240bull

/* The attribute bits of struct perf_event_attr's flags word this server
 * looks at, by their place in Linux's bitfield. */
enum perf_attr_bit {
    ATTR_DISABLED = 0, ATTR_INHERIT = 1, ATTR_PINNED = 2, ATTR_EXCLUSIVE = 3, ATTR_EXCLUDE_KERNEL = 5,
    ATTR_FREQ = 10, ATTR_ENABLE_ON_EXEC = 12, ATTR_INHERIT_THREAD = 35, ATTR_REMOVE_ON_EXEC = 36,
    ATTR_SIGTRAP = 37, ATTR_RESERVED_1 = 38,
};

struct perf_event_attr_k {
    uint32_t type, size;
    uint64_t config;
    uint64_t sample_period;   /* or sample_freq, with the freq bit */
    uint64_t sample_type, read_format;
    uint64_t flags;           /* Linux's bitfield: disabled, inherit, pinned, ... (ATTR_*) */
    uint32_t wakeup_events, bp_type;
    uint64_t config1, config2, branch_sample_type, sample_regs_user;
    uint32_t sample_stack_user;
    int32_t clockid;
    uint64_t sample_regs_intr;
    uint32_t aux_watermark;
    uint16_t sample_max_stack, reserved_2;
    uint32_t aux_sample_size, reserved_3;
    uint64_t sig_data;
};
_Static_assert(sizeof(struct perf_event_attr_k) == PERF_ATTR_SIZE_VER7, "perf_event_attr");
_Static_assert(offsetof(struct perf_event_attr_k, flags) == 40, "perf_event_attr's flags");
_Static_assert(offsetof(struct perf_event_attr_k, reserved_2) == 110, "perf_event_attr's __reserved_2");

#endif
