# /proc/sys files whose values are this configuration's on every Linux:
# listen's cap, the entropy pool, seccomp's actions, no taint, aio's cap;
# boot_id stays for a boot and uuid is new at each read, both version 4.
cat /proc/sys/net/core/somaxconn /proc/sys/kernel/random/entropy_avail /proc/sys/kernel/random/poolsize
cat /proc/sys/kernel/seccomp/actions_avail /proc/sys/kernel/tainted /proc/sys/fs/aio-max-nr
uuid='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
b1=$(cat /proc/sys/kernel/random/boot_id); b2=$(cat /proc/sys/kernel/random/boot_id)
[ "$b1" = "$b2" ] && echo boot_id stays
echo "$b1" | grep -Eq "$uuid" && echo boot_id is a uuid
u1=$(cat /proc/sys/kernel/random/uuid); u2=$(cat /proc/sys/kernel/random/uuid)
[ "$u1" != "$u2" ] && echo uuid changes
echo "$u1" | grep -Eq "$uuid" && echo uuid is a uuid
# The root of /proc lists the processes by pid, after its other entries, a
# process whose entry was made first by a lookup (cat's /proc/self) included.
sleep 3 & s=$!
cat /proc/self/stat > /dev/null
prev=0; ok=yes
for e in $(find /proc -mindepth 1 -maxdepth 1 -name '[0-9]*'); do e=${e#/proc/}; [ "$e" -gt "$prev" ] || ok=no; prev=$e; done
echo "pids in /proc in order: $ok"
kill $s; wait $s 2>/dev/null; true
