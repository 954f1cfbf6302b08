#!/usr/bin/env python3
"""scripts/gen-linux-table.py - the Linux syscall table's generated parts.

Inputs: the Linux UAPI header (asm/unistd_64.h: every x86-64 syscall's
number) and personalities/linux/syscalls.def (what the personality
implements: LINUX_SYSCALL(name, STATUS, "args", "file.c", "note"); and the
calls it answers ENOSYS on purpose, with no handler (logged once, as not provided):
LINUX_NOSYS(name, "args", "reason"), the reason said in the table).
"args" lists the arguments the handler takes, as letter:name; the letter
gives the C type and how the tracer shows it (LETTERS below), and a name
starting with "_" is an argument the tracer shows but the handler does not
take.  The handler is static int64_t sys_<name>(struct sys_ctx *c,
<arguments>), defined in file.c.
  --header FILE  C header with LNR_* numbers and linux_names[] for every call,
                 and linux_errnos[]: each error number's name (from the UAPI
                 errno headers) and message (the C library's strerror, as
                 strace prints them)
  --entries DIR  a header DIR/<file>.h for each handler file, which it
                 includes: its handlers' typed prototypes, and the entry
                 for each, entry_<name>(struct sys_ctx *c), which unpacks
                 the argument registers; the handler is static, so the
                 compiler inlines it into its entry and the table's call
                 costs nothing more than a direct one
  --table FILE   C header for main.c: the table of entries (a LINUX_NOSYS
                 call's is entry_nosys_NAME: -ENOSYS, logged once), and the tracer's
                 argument formats
  --check DIR    fails unless each handler is defined in the file the def
                 names, which includes its entries, and no file defines a
                 handler the def does not name (a LINUX_NOSYS call has none)
  --doc FILE     docs/linux-syscalls.md: every call, implemented, partial,
                 not provided (with its reason) or ENOSYS; and the i386 table
  --table32 FILE C header for main.c: the i386 table (i386.def), by the call
                 numbers of asm/unistd_32.h: each call's entry, the
                 arguments its 64-bit handler takes sign-extended, its name

personalities/linux/i386.def lists the i386 calls (docs/i386.md):
  I386(name)                 the 64-bit handler of the same name
  I386(name, "a b")          the same, arguments a and b sign-extended
  I386_AS(name, name64)      the 64-bit handler of another call
  I386_AS(name, name64, "a") the same, argument a sign-extended
  I386_COMPAT(name, "args", "file.c", "note")   a handler of its own,
                 static int64_t sys32_<name>(struct sys_ctx *c, <args>)
  I386_NOSYS(name, "reason") a call Linux's IA32 table leaves empty
                 (sys_ni_syscall): ENOSYS, Linux's own answer, logged once
A 64-bit handler's "l" arguments are always sign-extended, the others
zero-extended, as the i386 registers come (32 bits each).  I386(name) of a
LINUX_NOSYS call is ENOSYS as the 64-bit one is, for its reason, logged
once.  A call not listed is ENOSYS, logged once.
"""
import argparse
import os
import re
import sys

UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
UNISTD32 = "/usr/include/x86_64-linux-gnu/asm/unistd_32.h"
DEF = "personalities/linux/syscalls.def"
DEF32 = "personalities/linux/i386.def"

# letter: (C type, what it is).  User addresses stay integers: a handler
# copies through mem_in/mem_out and never dereferences one.  The width is
# the handler's: an argument the personality takes whole is 64 bits, so
# that a value with high bits set means what it always meant.
LETTERS = {
    "f": ("uint64_t", "a descriptor, whole (fd_file range-checks it)"),
    "a": ("int", "a descriptor as Linux's int: an *at() call's directory, or AT_FDCWD"),
    "p": ("uint64_t", "a user address"),
    "b": ("uint64_t", "the user address of bytes the call reads, as many as the next argument says"),
    "r": ("uint64_t", "the user address of bytes the call writes, as many as its result says"),
    "s": ("uint64_t", "the user address of a NUL-terminated string"),
    "n": ("uint64_t", "a size, count or number, whole"),
    "o": ("int", "open flags"),
    "m": ("uint32_t", "a mode"),
    "d": ("int", "an int"),
    "u": ("uint32_t", "an unsigned int"),
    "l": ("int64_t", "a signed 64-bit number (offsets, lengths)"),
    "i": ("int", "int flags"),
    "w": ("int", "memory protection (PROT_*)"),
    "k": ("int", "mmap flags (MAP_*)"),
    "x": ("uint64_t", "flags or a word, whole"),
}


ERRNO_HEADERS = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"]


def errnos():
    """number -> name, the first name of each number (EAGAIN, not EWOULDBLOCK)."""
    out = {}
    for h in ERRNO_HEADERS:
        for line in open(h):
            m = re.match(r"#define\s+(E\w+)\s+(\d+)", line)
            if m and int(m.group(2)) not in out:
                out[int(m.group(2))] = m.group(1)
    return out


def numbers(path=UNISTD):
    out = {}
    for line in open(path):
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def arguments(text, n):
    """[(letter, argname)] of an "args" string."""
    args = []
    for a in text.split():
        letter, _, name = a.partition(":")
        if letter not in LETTERS or not re.match(r"^_?[a-z]\w*$", name):
            sys.exit("%s:%d: argument %r: want letter:name, a letter of %s" % (DEF, n, a, "".join(LETTERS)))
        args.append((letter, name))
    if len(args) > 6:
        sys.exit("%s:%d: more than six arguments" % (DEF, n))
    return args


def entries():
    """name -> (status, [(letter, argname)], file, note), in the def's
    order; a LINUX_NOSYS call's status is NOSYS, its file "" and its note
    the reason."""
    out = {}
    for n, line in enumerate(open(DEF), 1):
        if line.startswith("LINUX_NOSYS("):
            m = re.match(r'LINUX_NOSYS\((\w+),\s*"([^"]*)",\s*"([^"]+)"\)\s*$', line)
            if not m:
                sys.exit("%s:%d: not LINUX_NOSYS(name, \"args\", \"reason\"), with a reason" % (DEF, n))
            entry = ("NOSYS", arguments(m.group(2), n), "", m.group(3))
        elif line.startswith("LINUX_SYSCALL("):
            m = re.match(r'LINUX_SYSCALL\((\w+),\s*(IMPLEMENTED|PARTIAL),\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)"\)\s*$',
                         line)
            if not m:
                sys.exit("%s:%d: not LINUX_SYSCALL(name, IMPLEMENTED or PARTIAL, \"args\", \"file.c\", \"note\")" % (
                    DEF, n))
            entry = (m.group(2), arguments(m.group(3), n), m.group(4), m.group(5))
        else:
            continue
        if m.group(1) in out:
            sys.exit("%s:%d: %s is listed twice" % (DEF, n, m.group(1)))
        out[m.group(1)] = entry
    return out


def entries32(st):
    """i386 name -> (kind, target, sign-extended names or args, file, note):
    kind SAME (target the 64-bit call), COMPAT (target the i386 name), or
    NOSYS (no target: Linux's own ENOSYS, the note its reason).  A SAME
    line whose 64-bit call is LINUX_NOSYS has the file "" and that call's
    reason as its note."""
    out = {}
    for n, line in enumerate(open(DEF32), 1):
        m = re.match(r'I386\((\w+)(?:,\s*"([^"]*)")?\)\s*$', line)
        a = re.match(r'I386_AS\((\w+),\s*(\w+)(?:,\s*"([^"]*)")?\)\s*$', line)
        c = re.match(r'I386_COMPAT\((\w+),\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)"\)\s*$', line)
        z = re.match(r'I386_NOSYS\((\w+),\s*"([^"]+)"\)\s*$', line)
        if m or a:
            name, target, sext = (m.group(1), m.group(1), m.group(2)) if m else a.groups()
            if target not in st:
                sys.exit("%s:%d: %s is not in %s" % (DEF32, n, target, DEF))
            if st[target][0] == "NOSYS":
                if sext:
                    sys.exit("%s:%d: %s is LINUX_NOSYS: no arguments to extend" % (DEF32, n, target))
                if name in out:
                    sys.exit("%s:%d: %s is listed twice" % (DEF32, n, name))
                out[name] = ("SAME", target, [], "", st[target][3])
                continue
            names = [x for _, x in st[target][1]]
            for x in (sext or "").split():
                if x not in names:
                    sys.exit("%s:%d: %s takes no argument %s" % (DEF32, n, target, x))
            ext = [i for i, (l, x) in enumerate(st[target][1]) if l == "l" or x in (sext or "").split()]
            entry = ("SAME", target, ext, st[target][2], "")
        elif c:
            entry = ("COMPAT", c.group(1), arguments(c.group(2), n), c.group(3), c.group(4))
            name = c.group(1)
        elif z:
            name = z.group(1)
            entry = ("NOSYS", "", [], "", z.group(2))
        elif line.startswith("I386"):
            sys.exit("%s:%d: not I386(name), I386_AS(name, name64), I386_COMPAT(name, \"args\", \"file.c\", \"note\") "
                     "or I386_NOSYS(name, \"reason\")" % (DEF32, n))
        else:
            continue
        if name in out:
            sys.exit("%s:%d: %s is listed twice" % (DEF32, n, name))
        out[name] = entry
    return out


def handled(st):
    """The calls with a handler: all but the LINUX_NOSYS ones."""
    return {name: v for name, v in st.items() if v[0] != "NOSYS"}


def taken(args):
    """The arguments the handler takes: (register index, letter, name)."""
    return [(i, l, n) for i, (l, n) in enumerate(args) if not n.startswith("_")]


def params(args):
    return "".join(", %s %s" % (LETTERS[l][0], n) for _, l, n in taken(args))


def header(nrs):
    lines = ["/* Generated by scripts/gen-linux-table.py from " + UNISTD + ": do not edit. */",
             "#ifndef LINUX_NAMES_H", "#define LINUX_NAMES_H"]
    for name, nr in sorted(nrs.items(), key=lambda x: x[1]):
        lines.append("#define LNR_%s %d" % (name, nr))
    lines.append("#define LINUX_NR_COUNT %d" % (max(nrs.values()) + 1))
    lines.append("static const char *const linux_names[LINUX_NR_COUNT] = {")
    for name, nr in sorted(nrs.items(), key=lambda x: x[1]):
        lines.append('    [%d] = "%s",' % (nr, name))
    lines.append("};")
    errs = errnos()
    lines.append("#define LINUX_ERRNO_COUNT %d" % (max(errs) + 1))
    lines.append("static const struct { const char *name, *text; } linux_errnos[LINUX_ERRNO_COUNT] = {")
    for nr, name in sorted(errs.items()):
        lines.append('    [%d] = {"%s", "%s"},' % (nr, name, os.strerror(nr).replace('"', '\\"')))
    lines += ["};", "#endif", ""]
    return "\n".join(lines)


def entries_header(file):
    return os.path.splitext(file)[0] + ".h"


def entries_text(st, file, st32):
    """file's handlers, typed, and their entries: each unpacks the
    registers its handler takes from the message (c->a); and its i386
    handlers' (sys32_<name>, entry32_<name>)."""
    lines = ["/* Generated by scripts/gen-linux-table.py from " + DEF + ": do not edit.",
             " * " + file + "'s handlers, typed as the def lists their arguments, and the",
             " * entries the syscall table calls them through. */"]
    mine = [(n, args) for n, (_, args, f, _) in st.items() if f == file]
    for name, args in mine:
        lines.append("static int64_t sys_%s(struct sys_ctx *c%s);" % (name, params(args)))
    for name, args in mine:
        call = ", ".join(["c"] + ["(%s)c->a[%d]" % (LETTERS[l][0], i) for i, l, _ in taken(args)])
        lines.append("int64_t entry_%s(struct sys_ctx *c) { return sys_%s(%s); }" % (name, name, call))
    for name, (kind, _, args, f, _) in st32.items():
        if kind == "COMPAT" and f == file:
            call = ", ".join(["c"] + ["(%s)c->a[%d]" % (LETTERS[l][0], i) for i, l, _ in taken(args)])
            lines.append("static int64_t sys32_%s(struct sys_ctx *c%s);" % (name, params(args)))
            lines.append("int64_t entry32_%s(struct sys_ctx *c) { return sys32_%s(%s); }" % (name, name, call))
    return "\n".join(lines) + "\n"


def table(st):
    """The table of entries, by call number, and the tracer's formats."""
    lines = ["/* Generated by scripts/gen-linux-table.py from " + DEF + ": do not edit.",
             " * For main.c alone: the entry of each call number, and the tracer's formats. */",
             "#ifndef LINUX_TABLE_H", "#define LINUX_TABLE_H"]
    for name in handled(st):
        lines.append("int64_t entry_%s(struct sys_ctx *c);" % name)
    lines.append("/* The calls syscalls.def answers ENOSYS on purpose (LINUX_NOSYS): no handler; main.c's")
    lines.append(" * linux_not_provided logs each once. */")
    for name, (status, _, _, _) in st.items():
        if status == "NOSYS":
            lines.append("static int64_t entry_nosys_%s(struct sys_ctx *c) { return linux_not_provided(c, LNR_%s); }"
                         % (name, name))
    lines.append("static const linux_handler linux_table[LINUX_NR_COUNT] = {")
    for name, (status, _, _, _) in st.items():
        lines.append("    [LNR_%s] = entry_%s%s," % (name, "nosys_" if status == "NOSYS" else "", name))
    lines.append("};")
    lines.append("/* The letters of each call's arguments (\"\": three words in hex). */")
    lines.append("static const char *const linux_arg_formats[LINUX_NR_COUNT] = {")
    for name, (_, args, _, _) in st.items():
        lines.append('    [LNR_%s] = "%s",' % (name, "".join(l for l, _ in args)))
    lines += ["};", "#endif", ""]
    return "\n".join(lines)


def entry32(v):
    """The entry an i386.def line runs: entry_nosys for Linux's ENOSYS (its
    own, or the 64-bit call's LINUX_NOSYS: no file), which table32 makes
    per call (entry32_nosys_NAME)."""
    kind, target, _, file, _ = v
    if kind == "NOSYS" or (kind == "SAME" and not file):
        return "entry_nosys"
    return "entry%s_%s" % ("32" if kind == "COMPAT" else "", target)


def table32(nrs32, st32):
    """The i386 table: each call's entry, its sign-extended arguments (a
    bit each), and every i386 name (logs, the tracer)."""
    lines = ["/* Generated by scripts/gen-linux-table.py from " + DEF32 + " and " + UNISTD32 + ": do not edit.",
             " * For main.c alone: the i386 calls' entries, by i386 number. */",
             "#ifndef LINUX_TABLE32_H", "#define LINUX_TABLE32_H",
             "#define I386_NR_COUNT %d" % (max(nrs32.values()) + 1)]
    for name, v in st32.items():
        if entry32(v) != "entry_nosys":
            lines.append("int64_t %s(struct sys_ctx *c);" % entry32(v))
    lines.append("/* ENOSYS as Linux's own answer (or the 64-bit call's LINUX_NOSYS), logged once. */")
    for name, v in st32.items():
        if entry32(v) == "entry_nosys":
            lines.append("static int64_t entry32_nosys_%s(struct sys_ctx *c) { return linux_not_provided(c, %d); }"
                         % (name, nrs32[name]))
    lines.append("static const struct { linux_handler entry; uint8_t sext; } linux_table32[I386_NR_COUNT] = {")
    for name, v in st32.items():
        mask = sum(1 << i for i in v[2]) if v[0] == "SAME" else 0
        e = entry32(v)
        lines.append("    [%d] = {%s, %d}, /* %s */" % (nrs32[name], "entry32_nosys_" + name if e == "entry_nosys" else e,
                                                    mask, name))
    lines.append("};")
    lines.append("static const char *const linux_names32[I386_NR_COUNT] = {")
    for name, nr in sorted(nrs32.items(), key=lambda x: x[1]):
        lines.append('    [%d] = "%s",' % (nr, name))
    lines += ["};", "#endif", ""]
    return "\n".join(lines)


def check(st, srcdir, st32):
    """Each handler is defined in the file the def names, and only there."""
    found = {}
    errors = []
    for f in sorted(os.listdir(srcdir)):
        if f.endswith(".c"):
            text = open(os.path.join(srcdir, f)).read()
            for m in re.finditer(r"^static int64_t sys_(\w+)\(struct sys_ctx \*c\b", text, re.M):
                found.setdefault(m.group(1), []).append(f)
            for m in re.finditer(r"^static int64_t sys32_(\w+)\(struct sys_ctx \*c\b", text, re.M):
                found.setdefault("32 " + m.group(1), []).append(f)
            include = '#include "linux_entries/%s"' % entries_header(f)
            if any(v[2] == f for v in list(st.values()) + [(0, 0) + v[3:] for v in st32.values()]) and include not in text:
                errors.append("%s: has handlers, and does not %s" % (f, include))
    for name, (_, _, file, _) in handled(st).items():
        if file not in found.get(name, []):
            errors.append("%s: sys_%s is not defined in %s%s" % (DEF, name, file, (
                " (it is in %s)" % ", ".join(found[name])) if name in found else ""))
    for name, (kind, _, _, file, _) in st32.items():
        if kind == "COMPAT" and file not in found.get("32 " + name, []):
            errors.append("%s: sys32_%s is not defined in %s" % (DEF32, name, file))
    for name, files in found.items():
        if name.startswith("32 "):
            if st32.get(name[3:], ("",))[0] != "COMPAT":
                errors.append("%s: defines sys32_%s, which %s does not list" % (", ".join(files), name[3:], DEF32))
            continue
        if name in st and st[name][0] == "NOSYS":
            errors.append("%s: defines sys_%s, which %s says is ENOSYS on purpose (LINUX_NOSYS)" % (
                ", ".join(files), name, DEF))
        elif name not in st:
            errors.append("%s: defines sys_%s, which %s does not list" % (", ".join(files), name, DEF))
        elif len(files) > 1:
            errors.append("sys_%s is defined in %s" % (name, " and ".join(files)))
    return errors


def doc32(nrs32, st32, st):
    n = sum(1 for k in st32 if k in nrs32)
    nosys = sum(1 for k, v in st32.items() if k in nrs32 and entry32(v) == "entry_nosys")
    out = ["", "## The i386 calls", "",
           "32-bit programs call through `int 0x80` with the i386 numbers of `asm/unistd_32.h`",
           "(docs/i386.md). `personalities/linux/i386.def` says how each runs: with the 64-bit",
           "handler of a call whose arguments carry over unchanged, or with a handler of its own",
           "(`sys32_<call>`) that translates the structures. One marked *not provided* is",
           "ENOSYS as Linux's own answer, for the reason its note gives (a call Linux's IA32",
           "table leaves empty, or one whose 64-bit call is not provided either), logged once",
           "as not provided. Any other is ENOSYS, logged once as not implemented.", "",
           "%d of %d i386 calls run; %d are not provided, %d ENOSYS." % (
               n - nosys, len(nrs32), nosys, len(nrs32) - n), "",
           "| nr | call | runs as | file | notes |", "|---|---|---|---|---|"]
    for name, nr in sorted(nrs32.items(), key=lambda x: x[1]):
        kind, target, _, file, note = st32.get(name, ("ENOSYS", "", [], "", ""))
        how = {"ENOSYS": "ENOSYS", "COMPAT": "i386 handler", "NOSYS": "not provided"}.get(kind, "`%s`" % target)
        if kind == "SAME" and not file:
            how = "not provided (as `%s`)" % target
        out.append("| %d | `%s` | %s | %s | %s |" % (nr, name, how, "`%s`" % file if file else "", note))
    return "\n".join(out) + "\n"


def doc(nrs, st):
    counts = {"IMPLEMENTED": 0, "PARTIAL": 0, "NOSYS": 0}
    for s, _, _, _ in st.values():
        counts[s] = counts.get(s, 0) + 1
    out = ["# The Linux syscall table", "",
           "Generated by `scripts/gen-linux-table.py` from the kernel's UAPI header",
           "(`asm/unistd_64.h`) and `personalities/linux/syscalls.def`. Do not edit by hand.", "",
           "Every x86-64 Linux system call, with what the Linux personality does with it",
           "and the file of `personalities/linux/` whose `sys_<call>` handles it.",
           "A call marked *not provided* returns `-ENOSYS` on purpose, for the reason its",
           "note gives (logged once, as \"not provided\"); one marked ENOSYS is not implemented",
           "yet: it returns `-ENOSYS` and is logged once per call number (\"not implemented\").",
           "Nothing pretends to succeed.", "",
           "%d implemented, %d partial, %d not provided, %d ENOSYS, of %d." % (
               counts["IMPLEMENTED"], counts["PARTIAL"], counts["NOSYS"], len(nrs) - len(st), len(nrs)), "",
           "| nr | call | status | file | notes |", "|---|---|---|---|---|"]
    for name, nr in sorted(nrs.items(), key=lambda x: x[1]):
        s, _, file, note = st.get(name, ("ENOSYS", [], "", ""))
        status = {"ENOSYS": "ENOSYS", "NOSYS": "not provided"}.get(s, s.lower())
        out.append("| %d | `%s` | %s | %s | %s |" % (nr, name, status, "`%s`" % file if file else "", note))
    return "\n".join(out) + "\n"


def write(path, text):
    """Only if it changed, so that what includes it is not rebuilt for nothing."""
    if not os.path.exists(path) or open(path).read() != text:
        open(path, "w").write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--header")
    ap.add_argument("--entries")
    ap.add_argument("--table")
    ap.add_argument("--check")
    ap.add_argument("--doc")
    ap.add_argument("--table32")
    a = ap.parse_args()
    nrs, st = numbers(), entries()
    nrs32, st32 = numbers(UNISTD32), entries32(st)
    unknown32 = set(st32) - set(nrs32)
    assert not unknown32, "not i386 syscalls: %s" % sorted(unknown32)
    unknown = set(st) - set(nrs)
    assert not unknown, "not Linux syscalls: %s" % sorted(unknown)
    if a.check:
        errors = check(st, a.check, st32)
        if errors:
            sys.exit("\n".join(errors))
    if a.header:
        write(a.header, header(nrs))
    if a.entries:
        os.makedirs(a.entries, exist_ok=True)
        for file in sorted(set(v[2] for v in handled(st).values()) | set(v[3] for v in st32.values() if v[0] == "COMPAT")):
            write(os.path.join(a.entries, entries_header(file)), entries_text(st, file, st32))
        write(os.path.join(a.entries, "all.h"), "/* Generated by scripts/gen-linux-table.py: do not edit.\n"
              " * Every 64-bit handler's entry, for the i386 handlers that run them. */\n" +
              "".join("int64_t entry_%s(struct sys_ctx *c);\n" % n for n in handled(st)))
    if a.table:
        write(a.table, table(st))
    if a.doc:
        write(a.doc, doc(nrs, st) + doc32(nrs32, st32, st))
    if a.table32:
        write(a.table32, table32(nrs32, st32))


if __name__ == "__main__":
    main()
