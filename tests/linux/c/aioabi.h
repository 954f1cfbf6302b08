/*
 * tests/linux/c/aioabi.h - linux/aio_abi.h, which musl does not have: the
 * context, the commands, struct io_event and struct iocb as the kernel
 * takes them (io_setup, io_submit, io_getevents).
 */
#ifndef TESTS_LINUX_AIOABI_H
#define TESTS_LINUX_AIOABI_H
#include <stdint.h>

typedef unsigned long aio_context_t;
enum { CMD_PREAD = 0, CMD_PWRITE = 1, CMD_FSYNC = 2, CMD_FDSYNC = 3, CMD_POLL = 5, CMD_NOOP = 6, CMD_PREADV = 7,
       CMD_PWRITEV = 8 };
#define FLAG_RESFD 1
struct io_event {
    uint64_t data, obj;
    int64_t res, res2;
};
struct iocb {
    uint64_t aio_data;
    uint32_t aio_key, aio_rw_flags;
    uint16_t aio_lio_opcode;
    int16_t aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf, aio_nbytes;
    int64_t aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags, aio_resfd;
};
#endif
