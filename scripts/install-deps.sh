#!/bin/sh
# scripts/install-deps.sh - installs the Debian/Ubuntu packages Persona needs
# to build, boot and test (gcc-multilib: the 32-bit tests and benchmark,
# built with gcc -m32 -static).  Idempotent: when everything is present it only
# runs dpkg queries and exits in well under a second.  Uses sudo when not
# root.  Called by `make run`, `make test` and .ci/run.
set -eu

PACKAGES="build-essential binutils make python3 qemu-system-x86 grub-pc-bin grub-common xorriso mtools
newlib-source musl-tools busybox-static bash-static cpio gdb strace gcc-multilib"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install:$missing" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
