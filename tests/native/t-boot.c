/*
 * tests/native/t-boot.c - what the root task (personalities/native/init.c)
 * hands a boot module, checked from inside it: argv without the key words,
 * the handles in word order with no entry for an endpoint nobody serves,
 * a device grant that is not the root device, blobs shared rather than
 * copied (zero past their end), an empty blob, and no entry for a blob
 * that no module provides; and an endpoint whose server died is dead (init
 * keeps no receive right to it).  Its line in tests/qemu/init-modules.test:
 *     boot use=console,nosuch,doomed power blob=hello-prog blob=nosuch blob=empty one two
 */
#include "check.h"
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    CHECK(argc == 3 && strcmp(argv[0], "boot") == 0 && strcmp(argv[1], "one") == 0 && strcmp(argv[2], "two") == 0,
          "argv is the name and the words that are not keys (%d words)", argc);
    CHECK(persona_endpoint("console") == 1 && !getenv("PERSONA_EP_nosuch"),
          "the console's handle comes first after H_SELF, and nosuch, which nobody serves, has none");
    struct ipc_msg m = {{0}};
    long r = ipc_call(persona_endpoint("doomed"), &m, 0, NULL);
    CHECK(persona_endpoint("doomed") == 2 && r == -32, "a call to a server that died is EPIPE (%ld)", r);
    int dev = persona_device();
    CHECK(dev == 3, "the device grant comes after the endpoints (%d)", dev);
    CHECK(sys_ioport_enable(dev) == -13 && sys_irq_ack(dev) == -13,
          "a power-only grant has no ports and no IRQ: EACCES");
    CHECK(sys_device_create(dev, -1, 0, 0, 1) == -13, "a grant is no root device: device_create is EACCES");
    CHECK(sys_device_create(1, 4, 0, 0, 0) == -9, "nor is an endpoint: EBADF");

    size_t len = 0, empty_len = 1;
    const unsigned char *blob = persona_blob("hello-prog", &len);
    CHECK(blob == (const void *)0x100000000000ull && len > 4096 && memcmp(blob, "\177ELF", 4) == 0,
          "blob=hello-prog is the ELF file at 0x100000000000");
    int tail_zero = 1;
    for (size_t i = len; i % 4096; i++)
        tail_zero &= blob[i] == 0;
    CHECK(tail_zero, "its last page is zero past its end (%zu bytes)", len);
    struct persona_taskmem mem;
    CHECK(sys_stats(STATS_TASK_MEM, H_SELF, &mem, sizeof mem) == 0 && mem.shared_bytes >= ((len + 4095) & ~4095ul),
          "it is shared with init, not copied (%llu bytes shared)", (unsigned long long)mem.shared_bytes);
    const unsigned char *empty = persona_blob("empty", &empty_len);
    CHECK(empty && empty_len == 0 && empty[0] == 0 && empty[4095] == 0, "an empty blob is a page of zeros");
    CHECK(!getenv("PERSONA_BLOB_nosuch"), "blob=nosuch, which no module provides, has no entry");
    CHECK(getenv("PERSONA_CMDLINE") != NULL, "the kernel command line is there");
    finish();
    return 0;
}
