# busybox losetup: find a free loop device, bind a sparse file to it (with
# an offset, read-only), show it, write and read through it, detach it.
# It binds /dev/loop7, not the first free device, which linux-c-loopdev
# (run at the same time) takes on the host; -f's answer is not printed.
img=/tmp/losetup-case.img
rm -f $img
dd if=/dev/zero of=$img bs=1024 count=0 seek=2048 2>/dev/null
printf 'hello' | dd of=$img bs=1 seek=4096 conv=notrunc 2>/dev/null
case $(losetup -f) in /dev/loop[0-9]*) echo free ok;; *) echo "free: $(losetup -f)";; esac
dev=/dev/loop7
losetup -o 4096 $dev $img; echo "bind $?"
losetup $dev | sed "s|^$dev|DEV|"
dd if=$dev bs=5 count=1 2>/dev/null; echo
printf 'WORLD' | dd of=$dev bs=512 seek=1 conv=notrunc,fsync 2>/dev/null; echo "write $?"
dd if=$img bs=1 skip=4608 count=5 2>/dev/null; echo
losetup -c $dev; echo "capacity $?"
losetup -d $dev; echo "detach $?"
losetup $dev 2>&1 | sed "s|$dev|DEV|"
losetup -d $dev 2>&1 | sed "s|$dev|DEV|"
losetup -r $dev $img; echo "bind ro $?"
losetup $dev | sed "s|^$dev|DEV|"
printf 'x' | dd of=$dev conv=notrunc 2>&1 | sed "s|$dev|DEV|"
losetup -d $dev; echo "detach $?"
rm -f $img
