/*
 * personalities/linux/uapi_uffd.h - the Linux ABI of userfaultfd
 * (linux/userfaultfd.h): the handshake's API number and feature bits, the
 * ioctls and their structures, the registration modes, the message a read
 * returns, and /dev/userfaultfd's ioctl.  Beside uapi.h, for the file that
 * needs it (the same rules: Linux's names and values, checked by
 * scripts/check-uapi.py; the structures' layouts by _Static_assert).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Userfaultfd".
 */
#ifndef LINUX_UAPI_UFFD_H
#define LINUX_UAPI_UFFD_H
#include <stdint.h>

#define UFFD_API 0xAA
#define UFFD_USER_MODE_ONLY 1
#define UFFD_FEATURE_PAGEFAULT_FLAG_WP (1 << 0)
#define UFFD_FEATURE_EVENT_FORK (1 << 1)
#define UFFD_FEATURE_SIGBUS (1 << 7)
#define UFFD_FEATURE_THREAD_ID (1 << 8)
#define UFFD_FEATURE_EXACT_ADDRESS (1 << 11)
#define _UFFDIO_REGISTER 0x00
#define _UFFDIO_UNREGISTER 0x01
#define _UFFDIO_WAKE 0x02
#define _UFFDIO_COPY 0x03
#define _UFFDIO_ZEROPAGE 0x04
#define _UFFDIO_API 0x3F
#define UFFDIO_API 0xc018aa3full
#define UFFDIO_REGISTER 0xc020aa00ull
#define UFFDIO_UNREGISTER 0x8010aa01ull
#define UFFDIO_WAKE 0x8010aa02ull
#define UFFDIO_COPY 0xc028aa03ull
#define UFFDIO_ZEROPAGE 0xc020aa04ull
#define USERFAULTFD_IOC_NEW 0xaa00ull
#define UFFDIO_REGISTER_MODE_MISSING (1 << 0)
#define UFFDIO_REGISTER_MODE_WP (1 << 1)
#define UFFDIO_REGISTER_MODE_MINOR (1 << 2)
#define UFFDIO_COPY_MODE_DONTWAKE (1 << 0)
#define UFFDIO_COPY_MODE_WP (1 << 1)
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE (1 << 0)
#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_PAGEFAULT_FLAG_WRITE (1 << 0)

struct uffdio_api {
    uint64_t api, features, ioctls;
};
struct uffdio_range {
    uint64_t start, len;
};
struct uffdio_register {
    struct uffdio_range range;
    uint64_t mode, ioctls;   /* ioctls: out, the range ioctls the area takes */
};
struct uffdio_copy {
    uint64_t dst, src, len, mode;
    int64_t copy;            /* out: the bytes copied, or -errno */
};
struct uffdio_zeropage {
    struct uffdio_range range;
    uint64_t mode;
    int64_t zeropage;        /* out: as copy's */
};
/* What a read returns, one per fault (UFFD_EVENT_PAGEFAULT's arm of the
 * union; the others are events of features not built here). */
struct uffd_msg {
    uint8_t event, reserved1;
    uint16_t reserved2;
    uint32_t reserved3;
    uint64_t flags, address;
    uint32_t ptid;           /* UFFD_FEATURE_THREAD_ID: the faulting thread */
    uint32_t pad;
};
_Static_assert(sizeof(struct uffdio_api) == 24, "uffdio_api");
_Static_assert(sizeof(struct uffdio_register) == 32, "uffdio_register");
_Static_assert(sizeof(struct uffdio_copy) == 40, "uffdio_copy");
_Static_assert(sizeof(struct uffdio_zeropage) == 32, "uffdio_zeropage");
_Static_assert(sizeof(struct uffd_msg) == 32, "uffd_msg");

#endif
