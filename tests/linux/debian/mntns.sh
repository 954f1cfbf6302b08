# Debian's util-linux unshare -m and nsenter -m with mount namespaces, as
# users run them: a tmpfs mounted inside `unshare -m` is not seen outside
# (unshare -m makes every mount private first, its --propagation private),
# one mounted with --propagation unchanged under a shared mount is, and
# nsenter -m joins a running namespace by its /proc/<pid>/ns/mnt file
# (with -r and -w, the process's root and directory: setns to a mount
# namespace leaves a chroot, as the host side runs in one).
set -u
m=/tmp/m
mkdir $m
a=$(readlink /proc/self/ns/mnt); b=$(unshare -m readlink /proc/self/ns/mnt)
[ "$a" != "$b" ] && echo "a new mnt namespace: ${b%%:*}"
unshare -m sh -c "mount -t tmpfs inner $m && touch $m/file && ls $m && grep -c ' $m ' /proc/self/mounts"
echo "outside: $(ls $m | wc -l) files, $(grep -c " $m " /proc/self/mounts) mounts"
mount -t tmpfs top $m
mount --make-shared $m
mkdir $m/a $m/b
unshare -m sh -c "mount -t tmpfs a $m/a && findmnt -n -o TARGET,PROPAGATION $m"
echo "private: $(grep -c " $m/a " /proc/self/mounts)"
unshare -m --propagation unchanged sh -c "mount -t tmpfs b $m/b && touch $m/b/seen"
echo "shared: $(grep -c " $m/b " /proc/self/mounts) $(ls $m/b)"
findmnt -n -o TARGET,PROPAGATION $m/b
umount $m/b
unshare -m sh -c "mount -t tmpfs bg $m/a && touch $m/a/here && touch /tmp/named && sleep 3" & p=$!
while [ ! -e /tmp/named ]; do sleep 0.1; done
nsenter -t $p -m -r -w ls $m/a
nsenter -t $p -m -r -w sh -c "grep -c ' $m/a ' /proc/self/mounts"
echo "outside: $(ls $m/a | wc -l)"
wait $p
umount $m
echo "done"
