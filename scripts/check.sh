#!/bin/sh
# scripts/check.sh - `make check`: the size budget of the kernel and the
# style rules we hold ourselves to.
#  - kernel line count: kernel/ and boot/, C, headers and assembly (tests
#    live in tests/ and are not counted); target 6,000, hard cap 8,000.
#  - every kernel source file opens with a comment saying its role.
#  - the Linux personality's ABI constants match the system's Linux headers.
#  - every file of the Linux personality opens with a comment saying its
#    role, entry points, layer and book chapter; none is over 600 lines;
#    and the file system (fs, tmpfs, initramfs, dev) includes, directly or
#    through other headers, neither proc.h nor signal.h.
#  - the graded labs' solution and skeleton markers are balanced
#    (scripts/lab.py check).
set -eu
cd "$(dirname "$0")/.."
TARGET=6000
CAP=8000
status=0

files=$(find kernel boot -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.def' \) | sort)
echo "kernel line count (kernel/ and boot/, C and assembly):"
for d in kernel boot; do
    n=$(find $d -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.def' \) -exec cat {} + | wc -l)
    printf '  %-8s %6d\n' "$d/" "$n"
done
total=$(cat $files | wc -l)
printf '  %-8s %6d   (target %d, hard cap %d)\n' "total" "$total" $TARGET $CAP
if [ "$total" -gt $CAP ]; then
    echo "check: FAIL: the kernel is over its hard cap" >&2
    status=1
fi

for f in $files; do
    first=$(grep -v '^[[:space:]]*$' "$f" | head -n 1)
    case "$first" in
        /\**|//*|\#\ *) ;;
        *) echo "check: FAIL: $f does not open with a comment saying its role" >&2; status=1 ;;
    esac
done
# The ABI reference is generated from the one ABI source: it must be current.
tmp=$(mktemp)
python3 scripts/gen-abi.py --doc "$tmp"
if ! cmp -s "$tmp" docs/abi.md; then
    echo "check: FAIL: docs/abi.md is stale; run make abi-doc" >&2
    status=1
fi
python3 scripts/gen-linux-table.py --doc "$tmp"
if ! cmp -s "$tmp" docs/linux-syscalls.md; then
    echo "check: FAIL: docs/linux-syscalls.md is stale; run make linux-doc" >&2
    status=1
fi
rm -f "$tmp"
python3 scripts/check-uapi.py || status=1
# Every Linux handler is in the file syscalls.def names.
python3 scripts/gen-linux-table.py --check personalities/linux || status=1

linux=personalities/linux
for f in $linux/*.c $linux/*.h; do
    head=$(awk 'NR == 1, /\*\//' "$f")
    case "$head" in
        /\**) ;;
        *) echo "check: FAIL: $f does not open with a comment saying its role" >&2; status=1; continue ;;
    esac
    for word in "Entry point" "Layer" "Book:"; do
        echo "$head" | grep -qi "$word" || { echo "check: FAIL: $f: its opening comment says no \"$word\"" >&2; status=1; }
    done
    n=$(wc -l < "$f")
    [ "$n" -le 600 ] || { echo "check: FAIL: $f has $n lines (600 at most)" >&2; status=1; }
done

# The headers a file includes, and theirs, all the way down.
includes() {
    todo=$1 seen=
    while [ -n "$todo" ]; do
        set -- $todo
        f=$1; shift; todo=$*
        for h in $(sed -n 's/^#include "\([a-z_]*\.h\)".*/\1/p' "$linux/$f"); do
            [ -f "$linux/$h" ] || continue
            case " $seen " in *" $h "*) ;; *) seen="$seen $h"; todo="$todo $h" ;; esac
        done
    done
    echo $seen
}
# The file system knows nothing of processes or signals (docs/linux.md, "Layers").
for f in fs.c fsname.c fs.h tmpfs.c initramfs.c dev.c dev.h sysfs.c sysfs.h sysfsdev.c; do
    for h in $(includes $f); do
        case $h in
            proc.h|signal.h) echo "check: FAIL: $linux/$f includes $h: the file system is below processes and signals" >&2
                             status=1 ;;
        esac
    done
done

# The graded labs' marked regions parse, and each lab's points add up to 100.
python3 scripts/lab.py check || status=1

[ $status = 0 ] && echo "check: ok"
exit $status
