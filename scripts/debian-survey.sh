#!/bin/sh
# scripts/debian-survey.sh - which Linux calls Debian's userland still finds
# missing: runs a round of its programs (bash, coreutils, python3, perl,
# tar, find, grep, sed, awk, ps, top, ip, ss, mount, df, free, dmesg, ...)
# in Persona over the tree `make debian-root` builds, traced
# (docs/tracing.md), and counts the calls that answered ENOSYS, by name.
# docs/linux.md's "What Debian's programs still call" is its result.
set -e
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ov"
cat > "$work/ov/survey.sh" <<'SURVEY'
ls -la / >/dev/null; cat /etc/os-release >/dev/null
python3 -c 'import os, sys, json, subprocess, socket, ssl, uuid, random, time, threading; print(sys.version_info[0], os.cpu_count(), uuid.uuid4().version); subprocess.run(["true"])'
perl -e 'use POSIX; print POSIX::uname() ? "perl ok\n" : ""'
mkdir -p /tmp/s && cd /tmp/s && echo hi > a && tar czf x.tgz a && tar tzf x.tgz && find / -xdev -name os-release 2>/dev/null | head -2
grep -c root /etc/passwd; sed -n 1p /etc/passwd; mawk 'BEGIN { print 1 + 1 }'
ps aux | head -3; top -bn1 | head -5; ip addr; ip route; ss -tan; mount | head -3; df -h | head -3; free; dmesg | head -2
uptime; w; stat /; du -sh /etc; date; uname -a; sort /etc/passwd | head -1; pgrep -l bash || true; findmnt | head -3
gzip -c /etc/passwd | wc -c; id; env | wc -l
SURVEY
scripts/persona-run --root build/debian/root --overlay "$work/ov" --timeout 450 --trace -- /bin/bash /survey.sh \
    > "$work/out" 2> "$work/trace"
echo "calls answering ENOSYS (count, call):"
sed -n 's/^\[pid [0-9]*\] \([a-z0-9_]*\)(.*= -1 ENOSYS.*/\1/p' "$work/trace" | sort | uniq -c | sort -rn
