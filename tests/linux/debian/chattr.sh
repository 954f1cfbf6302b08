# Debian's chattr and lsattr (e2fsprogs): inode flags on tmpfs (/tmp), what
# immutable and append-only files refuse to the shell and coreutils, the
# flags a new file takes from its directory, a flag tmpfs does not keep;
# then on ext2 (a loop device that mke2fs formats), flags that outlive
# umount and mount, as debugfs reads them from the device, and e2fsck
# -fn of what was written back.  The loop device's number is not printed.
set -u
cd /tmp/w
echo data > f; echo log > a; : > n; mkdir d
chattr +i f; echo "chattr +i: $?"
chattr +a a; echo "chattr +a: $?"
chattr +d n; echo "chattr +d: $?"
chattr +dA d; echo "chattr +dA: $?"
lsattr f a n
lsattr -d d
echo more >> a; echo "append: $?"
(echo over > a) 2>/dev/null; echo "overwrite append-only: $?"
(echo x > f) 2>/dev/null; echo "write immutable: $?"
rm -f f 2>/dev/null; echo "rm immutable: $?"
mv a b 2>/dev/null; echo "mv append-only: $?"
ln f g 2>/dev/null; echo "ln immutable: $?"
chmod 600 f 2>/dev/null; echo "chmod immutable: $?"
touch -d @1000 a 2>/dev/null; echo "touch -d append-only: $?"
touch a; echo "touch append-only: $?"
truncate -s 0 a 2>/dev/null; echo "truncate append-only: $?"
cat a f
: > d/new; mkdir d/sub
lsattr d/new; lsattr -d d/sub
chattr +s n; echo "chattr +s: $?"
chattr -i f && rm f; echo "rm after chattr -i: $?"
chattr -a a && mv a b; echo "mv after chattr -a: $?"
ls

img=/tmp/w/img
truncate -s 4M $img
dev=$(losetup -f --show $img) || exit 1
mke2fs -q -t ext2 -b 1024 -N 64 -U 4c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d \
    -E hash_seed=1c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d $dev
echo "mke2fs: $?"
mkdir /tmp/w/m
mount -t ext2 $dev /tmp/w/m; echo "mount: $?"
cd /tmp/w/m
echo data > i; echo log > a; mkdir d
chattr +i i; chattr +a a; chattr +dS d; echo "chattr: $?"
: > d/new
lsattr i a d/new; lsattr -d d
(echo x > i) 2>/dev/null; echo "write immutable: $?"
chattr +s a; echo "chattr +s on ext2: $?"
lsattr a
cd /tmp/w
umount /tmp/w/m; echo "umount: $?"
mount -t ext2 $dev /tmp/w/m; echo "mount again: $?"
lsattr /tmp/w/m/i /tmp/w/m/a /tmp/w/m/d/new; lsattr -d /tmp/w/m/d
rm -f /tmp/w/m/i 2>/dev/null; echo "rm immutable: $?"
umount /tmp/w/m; echo "umount: $?"
for p in /i /a /d /d/new; do
    echo "$p $(debugfs -R "stat $p" $dev 2>/dev/null | grep -o 'Flags: 0x[0-9a-f]*')"
done
e2fsck -fn $dev > /tmp/w/fsck 2>&1; echo "e2fsck: $?"
losetup -d $dev; echo "losetup -d: $?"
