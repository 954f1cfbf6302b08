# Debian's mke2fs formats a loop device bound to a file, as test suites
# do before they mount one: then mount -t ext2, files made, sync, what the
# device's stat counted, the listing and statfs, umount, and e2fsck -fn
# of what was written back.  On the host inside the tree, whose kernel
# mounts ext2; the loop device's number is not printed (another program
# may hold the lowest).
set -u
img=/tmp/w/img
truncate -s 16M $img
dev=$(losetup -f --show $img) || exit 1
mke2fs -q -t ext2 -b 1024 -N 128 -U 4c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d -E hash_seed=1c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d $dev
echo "mke2fs: $?"
mkdir /tmp/w/m
mount -t ext2 $dev /tmp/w/m; echo "mount: $?"
grep -c " /tmp/w/m ext2 rw" /proc/mounts
mkdir /tmp/w/sys && mount -t sysfs sysfs /tmp/w/sys
written() { set -- $(cat /tmp/w/sys/block/${dev#/dev/}/stat); echo $7; }
before=$(written)
echo hello > /tmp/w/m/f
mkdir /tmp/w/m/d
ln -s f /tmp/w/m/s
seq 1 20000 > /tmp/w/m/d/numbers
sync
after=$(written)
[ "$after" -gt "$before" ] && echo "sync wrote to the device"
ls -ln /tmp/w/m | sed -E 's/ +/ /g' | cut -d' ' -f1-5,9- | tail -n +2
stat -f -c 'type %T block %S blocks %b free %f avail %a files %c ffree %d' /tmp/w/m
umount /tmp/w/m; echo "umount: $?"
e2fsck -fn $dev > /tmp/w/fsck 2>&1; echo "e2fsck: $?"
mount -o ro -t ext2 $dev /tmp/w/m && md5sum /tmp/w/m/d/numbers && cat /tmp/w/m/f && umount /tmp/w/m
losetup -d $dev; echo "losetup -d: $?"
umount /tmp/w/sys
