#!/bin/sh
# scripts/mkrootfs-debian.sh CACHE ROOT [OPTDIR] - Debian's own userland as a root
# file system tree for the Linux personality: the packages below and what
# they depend on (Depends and Pre-Depends, as this machine's apt resolves
# them), fetched with `apt-get download` into CACHE (kept: a second run
# downloads nothing) and unpacked with `dpkg -x` into ROOT.  The packages'
# maintainer scripts do not run, so what they would have written is written
# here: /etc's passwd, group, hostname, profile, nsswitch.conf and shells,
# the python3 and sh links, and ld.so.cache (ldconfig against the tree,
# where this machine lets it chroot; without it the loader searches the
# standard directories, which hold every library here).  Documentation,
# manuals and translations are left out, as Debian's minimal images do.
# OPTDIR's tree goes to /opt (the 32-bit busybox and bash in /opt/i386/bin,
# from scripts/fetch-i386.sh).
set -eu
mkdir -p "$1"
cache=$(cd "$1" && pwd)
root=$2
SEEDS="libc6 libc-bin bash coreutils findutils grep sed mawk diffutils tar gzip xz-utils less procps
util-linux mount vim-tiny perl-base python3 python3-minimal ncurses-base ncurses-bin iproute2 strace gdb e2fsprogs
iputils-ping acl"
# Packages the seeds name that a running system of this kind needs not:
# the package manager and the init system's helpers, and the full perl
# (perl-base is the interpreter and its core modules), the alternatives
# apt lists beside the ones taken (cdebconf for debconf, gawk and
# original-awk beside mawk, elogind beside systemd's library).
SKIP='^(dpkg|install-info|init-system-helpers|usrmerge|usr-is-merged|debconf.*|cdebconf|libdebian-installer.*|libnewt.*|libslang.*|libtextwrap.*|perl|perl-modules-.*|libperl.*|lib.*-perl|libgdbm-compat.*|tzdata|sensible-utils|gawk|original-awk|libsigsegv.*|libelogind.*)$'

command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
    { echo "mkrootfs-debian: needs apt-get and dpkg (a Debian or Ubuntu machine)" >&2; exit 1; }
# shellcheck disable=SC2086
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances $SEEDS | grep -v '^[ <]' | sort -u | grep -Ev "$SKIP")
missing=""
for p in $pkgs; do
    ls "$cache/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "mkrootfs-debian: downloading$missing"
    # (as root, apt-get warns that its sandbox user cannot write here: left out)
    # shellcheck disable=SC2086
    if ! (cd "$cache" && apt-get download -qq $missing 2>"$cache/.errors"); then
        grep -v 'unsandboxed' "$cache/.errors" >&2
        echo "mkrootfs-debian: apt-get download failed (is the network or a mirror there?)" >&2
        exit 1
    fi
fi
rm -rf "$root"
mkdir -p "$root"
for p in $pkgs; do
    deb=$(ls "$cache/${p}_"*.deb | tail -1)
    dpkg -x "$deb" "$root"
done
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" \
    "$root/usr/share/lintian" "$root/usr/share/bug"
mkdir -p "$root/etc" "$root/root" "$root/tmp" "$root/proc" "$root/dev" "$root/home" "$root/var/tmp"
"$(dirname "$0")/rootfs-etc.sh" "$root" /bin/bash /usr/sbin/nologin \
    /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cat > "$root/etc/nsswitch.conf" <<'EOT'
passwd: files
group: files
shadow: files
hosts: files
EOT
printf '/bin/sh\n/bin/bash\n/usr/bin/bash\n' > "$root/etc/shells"
[ -e "$root/bin/sh" ] || ln -s bash "$root/bin/sh"
[ -e "$root/usr/bin/python3" ] || ln -s "$(cd "$root/usr/bin" && ls python3.* | grep -E '^python3\.[0-9]+$' | head -1)" \
    "$root/usr/bin/python3"
if [ -n "${3:-}" ]; then
    mkdir -p "$root/opt"
    cp -a "$3"/. "$root/opt/"
fi
ldconfig -r "$root" 2>/dev/null || echo "mkrootfs-debian: no ld.so.cache (ldconfig cannot chroot here)" >&2
find "$root" -exec touch -h -d @1704067200 {} +
echo "mkrootfs-debian: $(echo "$pkgs" | wc -w) packages, $(du -sm "$root" | cut -f1) MiB in $root"
