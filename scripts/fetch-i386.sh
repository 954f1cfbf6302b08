#!/bin/sh
# scripts/fetch-i386.sh CACHE - Debian's 32-bit (i386) busybox-static and
# bash-static for the Linux personality's /opt/i386: the packages are
# fetched with `apt-get download` through an apt state of their own under
# CACHE (the host's sources, i386 as the only architecture), so the host's
# dpkg and apt configuration are never changed, and kept in CACHE (a second
# run downloads nothing).  Leaves CACHE/opt/i386/bin with busybox, bash and
# busybox's applet links, the tree scripts/mkrootfs.sh and
# scripts/mkrootfs-debian.sh copy into their roots, and tests/ run on the
# host for comparison.
set -eu
mkdir -p "$1"
cache=$(cd "$1" && pwd)
PKGS="busybox-static bash-static"
command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
    { echo "fetch-i386: needs apt-get and dpkg (a Debian or Ubuntu machine)" >&2; exit 1; }
missing=""
for p in $PKGS; do
    ls "$cache/debs/${p}_"*_i386.deb >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    state=$cache/apt
    mkdir -p "$state/lists/partial" "$state/archives/partial" "$cache/debs"
    : > "$state/status"
    apt_i386() {
        apt-get -qq -o Dir::State="$state" -o Dir::State::Lists="$state/lists" -o Dir::State::status="$state/status" \
            -o Dir::Cache="$state" -o Dir::Cache::archives="$state/archives" -o Debug::NoLocking=1 \
            -o APT::Architecture=i386 -o APT::Architectures::=i386 -o Acquire::Languages=none "$@"
    }
    echo "fetch-i386: downloading$missing (i386)"
    # (as root, apt-get warns that its sandbox user cannot write here: left out)
    # (an index that fails, a mirror in the middle of a sync say, is only
    # fatal when the packages are then not found)
    apt_i386 update 2>"$cache/.errors" || true
    # shellcheck disable=SC2086
    if ! (cd "$cache/debs" && apt_i386 download $missing) 2>>"$cache/.errors"; then
        grep -v 'unsandboxed' "$cache/.errors" >&2
        echo "fetch-i386: apt-get failed (is the network or a mirror there?)" >&2
        exit 1
    fi
    rm -rf "$state"
fi
tree=$cache/tree
rm -rf "$tree" "$cache/opt"
for p in $PKGS; do
    dpkg -x "$(ls "$cache/debs/${p}_"*_i386.deb | tail -1)" "$tree"
done
bin=$cache/opt/i386/bin
mkdir -p "$bin"
cp "$tree/bin/busybox" "$bin/busybox"
cp "$tree/bin/bash-static" "$bin/bash"
rm -rf "$tree"
# every applet as a link in the one directory (its PATH holds the 32-bit world)
{ "$bin/busybox" --list 2>/dev/null || /bin/busybox --list; } | while read -r applet; do
    [ -e "$bin/$applet" ] || ln -s busybox "$bin/$applet"
done
