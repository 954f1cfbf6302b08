# Debian's getfacl and setfacl (acl): POSIX ACLs on tmpfs (/tmp): named
# users and groups, the mask setfacl computes, chmod's change of it, a
# default ACL that new files and directories take (the umask ignored),
# removal, what a named user may do (su to uid 1000 and 1001 by number);
# setfacl's refusals; then on ext2 (a loop device that mke2fs formats),
# ACLs that outlive umount and mount, getfacl -R of the tree (no
# directory index: Linux's would list in its hash order), and e2fsck
# -fn of what was written back.  The loop device's number is not printed.
set -u
cd /tmp/w
chmod 755 /tmp/w # others search it: the named users' checks are the file's
umask 022
echo data > f; mkdir d
getfacl f
setfacl -m u:1000:rw,g:100:r f; echo "setfacl -m: $?"
getfacl f
ls -l f | cut -c1-11
chmod 640 f; echo "chmod 640: $?"
getfacl --omit-header f
setfacl -m m::rwx f; echo "setfacl mask: $?"
getfacl --omit-header f
setfacl -n -m u:1001:r f; echo "setfacl -n: $?"
getfacl --omit-header f
setpriv --reuid=1000 --regid=1000 --clear-groups cat f; echo "uid 1000 reads: $?"
(setpriv --reuid=1001 --regid=1001 --clear-groups sh -c 'echo x >> f') 2>/dev/null; echo "uid 1001 writes: $?"
(setpriv --reuid=1002 --regid=1002 --clear-groups cat f) 2>/dev/null; echo "uid 1002 reads: $?"
setfacl -d -m u:1000:rx,o::- d; echo "setfacl -d: $?"
getfacl d
umask 077
echo new > d/file; mkdir d/sub; mkfifo d/fifo
getfacl --omit-header d/file d/sub d/fifo
umask 022
setfacl -x u:1000 f; echo "setfacl -x: $?"
getfacl --omit-header f
setfacl -b f; echo "setfacl -b: $?"
getfacl --omit-header f
ls -l f | cut -c1-11
setfacl -k d; echo "setfacl -k: $?"
getfacl --omit-header d
setfacl -m u:nosuchuser:r f 2>&1; echo "unknown user: $?"
setfacl -m d:u:1000:r f 2>&1; echo "a default on a file: $?"
ln -s f l
getfacl l; echo "getfacl on a symlink: $?"
setfacl --set u::rw,g::r,o::r,u:5:r f 2>&1; echo "no mask given: $?"
getfacl --omit-header f
getfacl -R --omit-header -p /tmp/w/d | head -40

img=/tmp/w/img
truncate -s 4M $img
dev=$(losetup -f --show $img) || exit 1
mke2fs -q -t ext2 -O ^dir_index -b 1024 -N 64 -U 4c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d \
    -E hash_seed=1c1a3c2e-2b6f-4f2e-9a5d-0e1f2a3b4c5d $dev
echo "mke2fs: $?"
mkdir /tmp/w/m
mount -t ext2 $dev /tmp/w/m; echo "mount: $?"
cd /tmp/w/m
echo data > f; mkdir d
setfacl -m u:1000:rw,g:100:r f; echo "setfacl -m: $?"
setfacl -d -m u:1000:rx,g:100:rwx d; echo "setfacl -d: $?"
echo new > d/file; mkdir d/sub
cd /tmp/w
umount /tmp/w/m; echo "umount: $?"
mount -t ext2 $dev /tmp/w/m; echo "mount again: $?"
cd /tmp/w/m
getfacl -R . 
setpriv --reuid=1000 --regid=1000 --clear-groups cat f; echo "uid 1000 reads: $?"
cd /tmp/w
umount /tmp/w/m; echo "umount: $?"
e2fsck -fn $dev > /tmp/w/fsck 2>&1; echo "e2fsck: $?"
losetup -d $dev; echo "losetup -d: $?"
