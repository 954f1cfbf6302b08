#!/bin/sh
# scripts/rootfs-etc.sh ROOT SHELL NOLOGIN PATH - the /etc every root file
# system here has (scripts/mkrootfs.sh's, scripts/mkrootfs-debian.sh's):
# root and nobody, whose shells are SHELL and NOLOGIN, their groups, the
# host name, a profile that sets PATH and the prompt, and /etc/hosts (so
# that localhost is the loopback), with /etc/services where none is.
set -eu
root=$1
mkdir -p "$root/etc"
printf 'root:x:0:0:root:/root:%s\nnobody:x:65534:65534:nobody:/nonexistent:%s\n' "$2" "$3" > "$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$root/etc/group"
echo persona > "$root/etc/hostname"
printf "export PATH=%s\nexport PS1='persona:\\\\w# '\n" "$4" > "$root/etc/profile"
# localhost is the loopback, which the Linux personality has (docs/linux.md, "Networking")
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
# a Debian tree's own nsswitch.conf and services (netbase) stay; the busybox root gets the common ones
[ -e "$root/etc/nsswitch.conf" ] || printf 'hosts: files dns\nservices: files\n' > "$root/etc/nsswitch.conf"
[ -e "$root/etc/services" ] || printf 'echo\t\t7/tcp\necho\t\t7/udp\nftp\t\t21/tcp\nssh\t\t22/tcp\ntelnet\t\t23/tcp\nsmtp\t\t25/tcp\ndomain\t\t53/tcp\ndomain\t\t53/udp\nhttp\t\t80/tcp\nntp\t\t123/udp\nhttps\t\t443/tcp\n' > "$root/etc/services"
