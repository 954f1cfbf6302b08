#!/usr/bin/env python3
"""scripts/root-image.py ELF OUT - the root task's image, which the kernel
starts (kernel/root_task.c): the kernel parses no ELF, so the build lays
the static executable's segments out here.

The image is a header of little-endian 64-bit words, then the bytes:
  magic "PERSONA1", entry, base, file_size, mem_size, nsegs,
  and 4 segments of (va, len, prot), PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4;
then file_size bytes, which the kernel copies to base in memory that it
maps zeroed from base to base + mem_size, and then each segment gets its
protection.  The segments must not share a page (ld's -z separate-code,
the default, keeps them apart).
"""
import struct
import sys

PAGE = 4096
MAX_SEGS = 4


def fail(msg):
    sys.exit("root-image: %s: %s" % (sys.argv[1], msg))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: root-image.py ELF OUT")
    data = open(sys.argv[1], "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail("not a little-endian ELF64 file")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads = []
    for i in range(phnum):
        ptype, flags, off, va, _, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if ptype == 1 and memsz:
            loads.append((va, off, filesz, memsz, flags))
    if not loads or len(loads) > MAX_SEGS:
        fail("%d loadable segments (1 to %d)" % (len(loads), MAX_SEGS))
    loads.sort()
    base = loads[0][0] // PAGE * PAGE
    file_end = max(va + filesz for va, _, filesz, _, _ in loads)
    mem_end = -(-max(va + memsz for va, _, _, memsz, _ in loads) // PAGE) * PAGE
    body = bytearray(file_end - base)
    segs, last_end = [], base
    for va, off, filesz, memsz, flags in loads:
        start, end = va // PAGE * PAGE, -(-(va + memsz) // PAGE) * PAGE
        if start < last_end:
            fail("two segments share the page at %#x" % start)
        body[va - base:va - base + filesz] = data[off:off + filesz]
        prot = (1 if flags & 4 else 0) | (2 if flags & 2 else 0) | (4 if flags & 1 else 0)
        segs.append((start, end - start, prot))
        last_end = end
    segs += [(0, 0, 0)] * (MAX_SEGS - len(segs))
    head = struct.pack("<8sQQQQQ", b"PERSONA1", entry, base, len(body), mem_end - base, len(loads))
    head += b"".join(struct.pack("<QQQ", *s) for s in segs)
    with open(sys.argv[2], "wb") as f:
        f.write(head + body)


if __name__ == "__main__":
    main()
