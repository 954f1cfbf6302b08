"""tests/lib/ext2case.py - the "linux-ext2" case: two ext2 images (1 KiB
blocks in one group, 4 KiB blocks in three) made on the host with mke2fs
-d (files, a double indirect one, symlinks fast and slow, a FIFO, a
device node, a hard link, fixed times), each with a copy with a corrupt
superblock and an ext4 image (extents); tests/linux/ext2/ext2mount.c
binds each to a loop device, mounts, reads, writes and unmounts it, on
the host (as root, whose kernel mounts it) and on Persona, and the
outputs must match byte for byte.  Then both images, the host's and the
one Persona wrote back (ext2mount prints its nonzero blocks), must pass
e2fsck -fn; and on Persona 300 corrupted copies of the image are
mounted, read, written and unmounted, which the server must survive."""
import os
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
# two geometries: 1 KiB blocks in one group (the lost+found and inode
# numbers of a small image), 4 KiB blocks in three groups (backups of the
# superblock, an inode table and bitmaps per group)
IMAGES = [("1k", ["-b", "1024", "-N", "64"], 1024), ("4k", ["-b", "4096", "-g", "2048", "-N", "96"], 24576)]


def make_images(tmp, opts, size_kb):
    """The image and its corrupt copy in tmp; their paths."""
    src = os.path.join(tmp, "src")
    os.makedirs(os.path.join(src, "sub", "deep"))
    files = {"a.txt": b"hello\n", "sub/deep/c": b"deep\n" * 100, "sub/empty": b"",
             "big": bytes((i * 7 + i // 251) & 0xff for i in range(300000))}
    for name, data in files.items():
        with open(os.path.join(src, name), "wb") as f:
            f.write(data)
    os.symlink("a.txt", os.path.join(src, "link"))
    os.symlink("x" * 100, os.path.join(src, "longlink"))
    os.link(os.path.join(src, "a.txt"), os.path.join(src, "sub", "a-again"))
    os.mkfifo(os.path.join(src, "fifo"))
    os.mknod(os.path.join(src, "sub", "null"), 0o20644, os.makedev(1, 3))
    try:  # an attribute mke2fs -d copies into the inode's room: Persona reads it from the image
        os.setxattr(os.path.join(src, "a.txt"), "user.origin", b"mke2fs")
    except OSError:
        pass
    os.chmod(os.path.join(src, "sub", "empty"), 0o4751)
    os.chown(os.path.join(src, "sub", "empty"), 1234, 5678)
    for d, dirs, names in os.walk(src, topdown=False):
        for n in names + dirs + ([""] if d == src else []):
            p = os.path.join(d, n)
            os.utime(p, ns=(1700000000123456789, 1600000000987654321), follow_symlinks=False)
    img = os.path.join(tmp, "img")
    env = dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000")
    # without dir_index: the host's ext4 driver, which mounts ext2, would index a growing directory
    subprocess.run(["/usr/sbin/mke2fs", "-q", "-t", "ext2", "-O", "^dir_index"] + opts + ["-U",
                    "11111111-2222-3333-4444-555555555555", "-E", "hash_seed=66666666-7777-8888-9999-000000000000",
                    "-d", src, img, "%dk" % size_kb], check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    bad = os.path.join(tmp, "bad")
    with open(img, "rb") as f:
        data = bytearray(f.read())
    data[1024 + 56:1024 + 58] = b"\0\0"  # the magic
    with open(bad, "wb") as f:
        f.write(data)
    ext4 = os.path.join(tmp, "ext4")  # extents: an INCOMPAT feature ext2 does not know
    subprocess.run(["/usr/sbin/mke2fs", "-q", "-t", "ext4", "-O", "^has_journal", "-b", "1024", ext4, "512k"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return img, bad, ext4


def fsck(img):
    """e2fsck -fn's complaint, or None."""
    r = subprocess.run(["/usr/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return None if r.returncode == 0 else r.stdout.decode(errors="replace")[-1500:]


def run_ext2(build):
    t0 = time.time()
    for kind, opts, size_kb in IMAGES:
        err = run_image(build, "linux-ext2", kind, opts, size_kb)
        if err:
            return "linux-ext2", "%s image: %s" % (kind, err), 0
    return "linux-ext2", None, time.time() - t0


def run_image(build, name, kind, opts, size_kb):
    """One image's run on both sides: None, or what went wrong."""
    fuzz = kind == "1k"
    with tempfile.TemporaryDirectory(prefix="ext2-case-") as tmp:
        exe = os.path.join(tmp, "ext2mount")
        r = subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-o", exe,
                            os.path.join(ROOT, "tests", "linux", "ext2", "ext2mount.c")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            return "ext2mount.c does not build: %s" % r.stdout.decode(errors="replace")[-500:]
        img, bad, ext4 = make_images(tmp, opts, size_kb)
        host_dir = os.path.join(tmp, "host")
        os.makedirs(host_dir)
        for f in (exe, img, bad, ext4):
            shutil.copy(f, host_dir)
        try:
            host = subprocess.run(["./ext2mount", "img", "bad", "ext4"], cwd=host_dir, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, timeout=120,
                                  env=dict(os.environ, EXT2_NEW_INO="1") if fuzz else None)
        finally:
            for m in ("mnt", "mnt2"):
                subprocess.run(["umount", "-l", os.path.join(host_dir, m)], stderr=subprocess.DEVNULL)
        ov = os.path.join(tmp, "overlay")
        os.makedirs(os.path.join(ov, "tmp", "w"))
        for f in (exe, img, bad, ext4):
            shutil.copy(f, os.path.join(ov, "tmp", "w"))
        cmd = "cd /tmp/w && cp img orig && %s./ext2mount img bad ext4 dump" % ("EXT2_NEW_INO=1 " if fuzz else "") + (
            " && ./ext2mount orig bad ext4 fuzz" if fuzz else "")
        p = subprocess.run([os.path.join(ROOT, "scripts", "persona-run"), "--overlay", ov, "--timeout", "240", "--",
                            "/bin/sh", "-c", cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BUILD=build))
        out, _, blocks = p.stdout.partition(b"--- image\n")
        blocks, _, fuzzed = blocks.partition(b"--- fuzz\n")
        with open(os.path.join(tmp, "persona.out"), "wb") as f:
            f.write(out)
        if out != host.stdout or p.returncode != host.returncode:
            diff = subprocess.run(["diff", "-u", "-", os.path.join(tmp, "persona.out")], input=host.stdout,
                                  stdout=subprocess.PIPE).stdout.decode(errors="replace")
            return "Persona's output differs from the host's (status %d, host %d):\n%s" % (
                p.returncode, host.returncode, diff[:6000])
        if fuzz and fuzzed != b"fuzz: 300 images, the server answered each\n":
            return "the corrupted images: %r" % fuzzed[-300:]
        bad_host = fsck(os.path.join(host_dir, "img"))
        if bad_host:
            return "the host's image fails e2fsck -fn:\n" + bad_host
        written = bytearray(size_kb * 1024)
        for line in blocks.splitlines():
            n, _, hexdata = line.partition(b" ")
            written[int(n) * 1024:(int(n) + 1) * 1024] = bytes.fromhex(hexdata.decode())
        out_img = os.path.join(tmp, "persona.img")
        with open(out_img, "wb") as f:
            f.write(written)
        complaint = fsck(out_img)
        if complaint:
            return "the image Persona wrote back fails e2fsck -fn:\n" + complaint
    return None
