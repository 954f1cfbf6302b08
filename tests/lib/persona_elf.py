"""tests/lib/persona_elf.py - the little of ELF64 the tools read: where a
program's loadable segments lie, and where its sections start.

Used by scripts/persona-debug (gdb's add-symbol-file lines), by
tests/tools/link-addresses.py and by the benchmark's profile, which names
the program an address falls in.  Each boot program is linked at an
address range of its own (the Makefile's LINK_* table).
"""
import struct

PT_LOAD = 1


def _header(f):
    ident = f.read(64)
    if len(ident) < 64 or ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
        raise ValueError("%s is not a little-endian ELF64 file" % f.name)
    # e_phoff, e_shoff at 32, 40; e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx at 54
    phoff, shoff = struct.unpack_from("<QQ", ident, 32)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", ident, 54)
    return phoff, phentsize, phnum, shoff, shentsize, shnum, shstrndx


def load_range(path):
    """(lowest, end) of the PT_LOAD segments' addresses, page-aligned."""
    with open(path, "rb") as f:
        phoff, phentsize, phnum = _header(f)[:3]
        lo, hi = None, None
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, _, vaddr, _, _, memsz = struct.unpack("<IIQQQQQ", f.read(48))
            if p_type != PT_LOAD:
                continue
            lo = vaddr if lo is None else min(lo, vaddr)
            hi = vaddr + memsz if hi is None else max(hi, vaddr + memsz)
    if lo is None:
        raise ValueError("%s has no loadable segment" % path)
    return lo & ~0xfff, (hi + 0xfff) & ~0xfff


def sections(path):
    """{name: address} of the sections that have one."""
    with open(path, "rb") as f:
        _, _, _, shoff, shentsize, shnum, shstrndx = _header(f)
        heads = []
        for i in range(shnum):
            f.seek(shoff + i * shentsize)
            name, _, _, addr, offset, size = struct.unpack("<IIQQQQ", f.read(40))
            heads.append((name, addr, offset, size))
        _, _, stroff, strsize = heads[shstrndx]
        f.seek(stroff)
        names = f.read(strsize)
    return {names[n:names.index(b"\0", n)].decode(): addr for n, addr, _, _ in heads if addr}
