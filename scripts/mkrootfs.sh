#!/bin/sh
# scripts/mkrootfs.sh ROOTDIR OUT.cpio [HELLODIR [OPTDIR]] - builds the Linux
# personality's initramfs: Debian's busybox-static (with its applet links)
# and bash-static, a small /etc, the hello personality's programs from
# HELLODIR in /opt/hello/bin (started from bash, they run on hello), OPTDIR's
# tree in /opt (the 32-bit busybox and bash in /opt/i386/bin, from
# scripts/fetch-i386.sh), packed as cpio "newc" with every file owned by
# root and dated 2024-01-01 so that the archive is the same on every build.
set -eu
root=$1
out=$2
busybox=/bin/busybox
bash=/bin/bash-static
[ -x "$busybox" ] || { echo "mkrootfs: $busybox missing (package busybox-static)" >&2; exit 1; }
[ -x "$bash" ] || { echo "mkrootfs: $bash missing (package bash-static)" >&2; exit 1; }
rm -rf "$root"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/root" "$root/home" \
    "$root/proc" "$root/var/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$bash" "$root/bin/bash"
"$busybox" --list-full | while read -r applet; do
    [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
if [ -n "${3:-}" ]; then
    mkdir -p "$root/opt/hello/bin"
    cp "$3"/* "$root/opt/hello/bin/"
fi
if [ -n "${4:-}" ]; then
    mkdir -p "$root/opt"
    cp -a "$4"/. "$root/opt/"
fi
"$(dirname "$0")/rootfs-etc.sh" "$root" /bin/sh /bin/false /sbin:/usr/sbin:/bin:/usr/bin
find "$root" -exec touch -h -d @1704067200 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out"
