/*
 * personalities/linux/uapi_sched.h - the Linux ABI of scheduling: the
 * policies and sched_setattr's flags and struct sizes (linux/sched.h,
 * linux/sched/types.h), and the I/O priorities of ioprio_set and
 * ioprio_get (linux/ioprio.h).  Part of uapi.h, which includes it (the
 * same rules: Linux's names and values, checked by scripts/check-uapi.py).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Programs and processes".
 */
#ifndef LINUX_UAPI_SCHED_H
#define LINUX_UAPI_SCHED_H

#define SCHED_OTHER 0 /* scheduling policies */
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000 /* or'd into sched_setscheduler's policy */
#define SCHED_FLAG_RESET_ON_FORK 0x01 /* sched_setattr's sched_flags */
#define SCHED_FLAG_RECLAIM 0x02
#define SCHED_FLAG_DL_OVERRUN 0x04
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40
#define SCHED_ATTR_SIZE_VER0 48 /* linux/sched/types.h */
#define SCHED_ATTR_SIZE_VER1 56
#define IOPRIO_CLASS_SHIFT 13 /* linux/ioprio.h */
#define IOPRIO_CLASS_MASK 0x07
#define IOPRIO_PRIO_CLASS(ioprio) (((ioprio) >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK)
#define IOPRIO_CLASS_NONE 0
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_NORM 4
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3

#endif
