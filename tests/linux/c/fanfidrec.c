/*
 * tests/linux/c/fanfidrec.c - fanotify's FID groups on ext2, as LTP's
 * fanotify tests run them: an ext2 image made with mke2fs (the host's, or
 * busybox's on Persona) is bound to a loop device and mounted; statfs's
 * f_fsid is the superblock's uuid's halves xor'ed; dirent events on a mount mark are EINVAL, FAN_RENAME
 * without names too (Linux 6.1's ENODEV for a FID mark on /proc or tmpfs,
 * which have no f_fsid, is not shown: newer kernels, this host's, take
 * inode marks there).  Then groups of each reporting mode (FAN_REPORT_FID,
 * FAN_REPORT_DIR_FID, FAN_REPORT_DFID_NAME, FAN_REPORT_DFID_NAME_TARGET)
 * mark a directory, the file system, with the directory-entry events
 * (create, delete, moves, FAN_RENAME, attrib, delete-self, move-self),
 * and the events each reads are printed: the mask, the descriptor
 * (FAN_NOFD), and each info record's type, whether its fsid is statfs's,
 * which file its handle is (by name_to_handle_at's, taken while the file
 * had a name) and its name; merged events show as one.  A mark's mask as
 * fdinfo shows it (FAN_EVENT_ON_CHILD added for a DIR_FID group) too.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include "ext2img.h"
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#define FAN_ACCESS 0x1
#define FAN_MODIFY 0x2
#define FAN_ATTRIB 0x4
#define FAN_CLOSE_WRITE 0x8
#define FAN_CLOSE_NOWRITE 0x10
#define FAN_OPEN 0x20
#define FAN_MOVED_FROM 0x40
#define FAN_MOVED_TO 0x80
#define FAN_CREATE 0x100
#define FAN_DELETE 0x200
#define FAN_DELETE_SELF 0x400
#define FAN_MOVE_SELF 0x800
#define FAN_EVENT_ON_CHILD 0x08000000
#define FAN_RENAME 0x10000000
#define FAN_ONDIR 0x40000000
#define FAN_NONBLOCK 0x2
#define FAN_REPORT_PIDFD 0x80
#define FAN_REPORT_DFID_NAME_TARGET (FAN_REPORT_DFID_NAME | FAN_REPORT_FID | FAN_REPORT_TARGET_FID)
#define FAN_MARK_ADD 1
#define FAN_MARK_REMOVE 2
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_FILESYSTEM 0x100
#define DIRENT (FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO)

#define IMG "/tmp/fanfidrec.img"
#define MNT "/tmp/fanfidrec.mnt"

struct handle {
    unsigned bytes;
    int type;
    unsigned char h[128];
};

static struct {
    const char *label;
    struct handle fh;
} known[16];
static int nknown;
static int32_t fsid[2];
static bool lengths = true; /* false: a handle's size is the file system's own (ext4's and tmpfs's differ) */

/* name_to_handle_at's handle of path, remembered as label. */
static void learn(const char *label, const char *path)
{
    struct handle *fh = &known[nknown].fh;
    int mnt;
    fh->bytes = sizeof fh->h;
    if (syscall(SYS_name_to_handle_at, AT_FDCWD, path, fh, &mnt, 0) < 0) {
        printf("name_to_handle_at %s: %s\n", path, errno_name(errno));
        return;
    }
    known[nknown++].label = label;
}

/* The newest file learnt whose handle fh is (a number freed may be
 * used again: Persona keeps no generation). */
static const char *which(const struct handle *fh)
{
    for (int i = nknown - 1; i >= 0; i--)
        if (known[i].fh.bytes == fh->bytes && known[i].fh.type == fh->type &&
            !memcmp(known[i].fh.h, fh->h, fh->bytes))
            return known[i].label;
    return "?";
}

static const char *info_type(int t)
{
    switch (t) {
    case 1: return "FID";
    case 2: return "DFID_NAME";
    case 3: return "DFID";
    case 4: return "PIDFD";
    case 10: return "OLD_DFID_NAME";
    case 12: return "NEW_DFID_NAME";
    default: return "?";
    }
}

/* Every event g has, with its records. */
static void drain(const char *what, int g)
{
    char buf[8192] __attribute__((aligned(8)));
    printf("%s:\n", what);
    long n;
    while ((n = read(g, buf, sizeof buf)) > 0) {
        for (long at = 0; at < n;) {
            struct meta *m = (struct meta *)(buf + at);
            printf("  mask %llx fd %s pid %s len %u\n", (unsigned long long)m->mask,
                   m->fd == -1 ? "FAN_NOFD" : m->fd >= 0 ? "a descriptor" : "?",
                   m->pid == getpid() ? "self" : m->pid ? "other" : "0", lengths ? m->event_len : 0);
            if (m->fd >= 0)
                close(m->fd);
            for (unsigned r = m->metadata_len; r < m->event_len;) {
                unsigned char *rec = (unsigned char *)buf + at + r;
                uint16_t len;
                int32_t id[2];
                struct handle fh;
                memcpy(&len, rec + 2, 2);
                if (rec[0] == 4) { /* FAN_EVENT_INFO_TYPE_PIDFD */
                    int32_t pidfd;
                    memcpy(&pidfd, rec + 4, 4);
                    printf("    PIDFD len %u %s\n", len, pidfd >= 0 ? "a pidfd" : "none");
                    if (pidfd >= 0)
                        close(pidfd);
                    r += len;
                    continue;
                }
                memcpy(id, rec + 4, 8);
                memcpy(&fh.bytes, rec + 12, 4);
                memcpy(&fh.type, rec + 16, 4);
                memcpy(fh.h, rec + 20, fh.bytes < 100 ? fh.bytes : 100);
                const char *name = (const char *)rec + 20 + fh.bytes;
                printf("    %s len %u fsid %s handle %s", info_type(rec[0]), lengths ? len : 0,
                       id[0] == fsid[0] && id[1] == fsid[1] ? "ok" : "other", which(&fh));
                if (20 + fh.bytes < len && *name)
                    printf(" name \"%s\"", name);
                printf("\n");
                if (!len)
                    break;
                r += len;
            }
            at += m->event_len;
        }
    }
    if (n < 0 && errno != EAGAIN)
        printf("  read: %s\n", errno_name(errno));
}

/* The mask of g's newest mark as fdinfo shows it. */
static void mark_mask(int g)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", g);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        char *m = strstr(line, " mask:");
        if (strncmp(line, "fanotify ", 9) == 0 && m && strncmp(line, "fanotify flags", 14) != 0) {
            unsigned mask = 0, ign = 0;
            sscanf(m, " mask:%x ignored_mask:%x", &mask, &ign);
            printf("  fdinfo mask:%x ignored_mask:%x\n", mask, ign);
        }
    }
    if (f)
        fclose(f);
}

static int group(unsigned flags) { return (int)fan_init(flags | FAN_NONBLOCK, O_RDONLY); }

int main(void)
{
    /* the image, its loop device, the mount */
    int ldev, img = ext2_image(IMG, MNT, &ldev);
    if (img < 0)
        return 1;
    CHECK(chdir(MNT));
    struct statfs sf;
    CHECK(statfs(".", &sf));
    memcpy(fsid, &sf.f_fsid, sizeof fsid);
    uint64_t uuid[2] = {0, 0}, x;
    CHECK(pread(img, uuid, sizeof uuid, 1024 + 104)); /* the superblock's s_uuid */
    x = uuid[0] ^ uuid[1];
    printf("f_fsid is the uuid's halves xor'ed: %s\n",
           (uint32_t)fsid[0] == (uint32_t)x && (uint32_t)fsid[1] == (uint32_t)(x >> 32) ? "yes" : "no");
    CHECK(mkdir("d", 0755));
    learn("root", ".");
    learn("d", "d");

    /* the checks of marks */
    int g = group(FAN_REPORT_FID);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CREATE, AT_FDCWD, "."));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_ONDIR, AT_FDCWD, "."));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_RENAME, AT_FDCWD, "d"));
    close(g);

    /* FAN_REPORT_FID on a directory: dirent events merge by directory */
    int gf = group(FAN_REPORT_FID);
    CHECK(fan_mark(gf, FAN_MARK_ADD, DIRENT | FAN_ATTRIB | FAN_EVENT_ON_CHILD | FAN_ONDIR | FAN_DELETE_SELF,
                   AT_FDCWD, "d"));
    mark_mask(gf);
    /* FAN_REPORT_DFID_NAME on the file system */
    int gn = group(FAN_REPORT_DFID_NAME);
    CHECK(fan_mark(gn, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
                   DIRENT | FAN_ATTRIB | FAN_ONDIR | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_CLOSE_WRITE, AT_FDCWD,
                   "."));
    mark_mask(gn);
    /* FAN_REPORT_DFID_NAME_TARGET on the directory, with FAN_RENAME */
    int gt = group(FAN_REPORT_DFID_NAME_TARGET);
    CHECK(fan_mark(gt, FAN_MARK_ADD, DIRENT | FAN_RENAME | FAN_ONDIR | FAN_ATTRIB | FAN_EVENT_ON_CHILD, AT_FDCWD,
                   "d"));
    mark_mask(gt);
    /* FAN_REPORT_DIR_FID alone, and with FAN_REPORT_FID, on the file system */
    int gd = group(FAN_REPORT_DIR_FID);
    CHECK(fan_mark(gd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_ATTRIB | FAN_DELETE_SELF | FAN_ONDIR,
                   AT_FDCWD, "."));
    int gdf = group(FAN_REPORT_DIR_FID | FAN_REPORT_FID);
    CHECK(fan_mark(gdf, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
                   FAN_CREATE | FAN_ATTRIB | FAN_DELETE_SELF | FAN_MODIFY | FAN_ONDIR, AT_FDCWD, "."));

    int fd = open("d/f", O_CREAT | O_WRONLY, 0644);
    learn("f", "d/f");
    CHECK(write(fd, "x", 1));
    CHECK(close(fd));
    CHECK(chmod("d/f", 0600));
    CHECK(mkdir("d/sub", 0755));
    learn("sub", "d/sub");
    CHECK(chmod("d/sub", 0700));
    CHECK(mkdir("e", 0755));
    learn("e", "e");
    CHECK(rename("d/f", "d/g"));
    CHECK(rename("d/g", "e/h"));
    CHECK(rename("e/h", "d/f"));
    CHECK(rename("d/sub", "e/sub"));
    CHECK(unlink("d/f"));
    CHECK(rmdir("e/sub"));
    CHECK(rmdir("e"));
    drain("FAN_REPORT_FID, a directory's mark", gf);
    drain("FAN_REPORT_DFID_NAME, the file system's mark", gn);
    drain("FAN_REPORT_DFID_NAME_TARGET, a directory's mark", gt);
    drain("FAN_REPORT_DIR_FID, the file system's mark", gd);
    drain("FAN_REPORT_DIR_FID|FAN_REPORT_FID, the file system's mark", gdf);

    /* a removed mark hears nothing; a removed directory's own mark hears it go */
    CHECK(fan_mark(gt, FAN_MARK_REMOVE, DIRENT | FAN_RENAME | FAN_ONDIR | FAN_ATTRIB | FAN_EVENT_ON_CHILD, AT_FDCWD,
                   "d"));
    CHECK(fan_mark(gf, FAN_MARK_ADD, FAN_DELETE_SELF | FAN_ONDIR, AT_FDCWD, "d"));
    CHECK(rmdir("d"));
    drain("FAN_REPORT_FID, after rmdir", gf);
    drain("FAN_REPORT_DFID_NAME_TARGET, its mark removed", gt);
    drain("FAN_REPORT_DFID_NAME, after rmdir", gn);
    close(gf), close(gn), close(gt), close(gd), close(gdf);

    /* a mount's mark: the path events, with a pidfd record after the FID */
    int gp = group(FAN_REPORT_FID | FAN_REPORT_PIDFD);
    CHECK(fan_mark(gp, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_CLOSE_NOWRITE | FAN_ONDIR, AT_FDCWD, "."));
    fd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(close(fd));
    fd = open("lost+found", O_RDONLY | O_DIRECTORY);
    learn("lost+found", "lost+found");
    CHECK(close(fd));
    drain("FAN_REPORT_FID|FAN_REPORT_PIDFD, the mount's mark", gp);
    close(gp);

    /* LTP's fanotify16: a subdirectory bind-mounted on itself, the file
     * system's and the bind mount's marks; a file renamed while open */
    for (int mode = 0; mode < 2; mode++) {
        int gb = group(mode ? FAN_REPORT_DFID_NAME_TARGET : FAN_REPORT_DIR_FID | FAN_REPORT_FID);
        CHECK(fan_mark(gb, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
                       DIRENT | FAN_RENAME * mode | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR, AT_FDCWD, "."));
        CHECK(mkdir("b", 0755));
        CHECK(mount("b", "b", "none", MS_BIND, NULL));
        learn("b", "b");
        CHECK(fan_mark(gb, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE | FAN_ONDIR,
                       AT_FDCWD, "b"));
        fd = open("b/one", O_CREAT | O_WRONLY, 0644);
        learn("one", "b/one");
        CHECK(write(fd, "1", 1));
        CHECK(rename("b/one", "b/two"));
        CHECK(close(fd));
        CHECK(unlink("b/two"));
        CHECK(close(open("b", O_RDONLY | O_DIRECTORY)));
        CHECK(umount("b"));
        CHECK(rename("b", "c"));
        CHECK(rmdir("c"));
        drain(mode ? "fanotify16's, FAN_REPORT_DFID_NAME_TARGET" : "fanotify16's, FAN_REPORT_DIR_FID|FAN_REPORT_FID",
              gb);
        close(gb);
    }
    /* a directory renamed through one no mark is on: two FAN_RENAME events */
    int gr = group(FAN_REPORT_DFID_NAME_TARGET);
    CHECK(mkdir("t", 0755) == 0 && mkdir("r", 0755) == 0);
    learn("t", "t");
    learn("r", "r");
    CHECK(fan_mark(gr, FAN_MARK_ADD, DIRENT | FAN_RENAME | FAN_ONDIR, AT_FDCWD, "."));
    CHECK(fan_mark(gr, FAN_MARK_ADD, FAN_MOVE_SELF | FAN_DELETE_SELF | FAN_ONDIR, AT_FDCWD, "r"));
    CHECK(rename("r", "t/r"));
    CHECK(rename("t/r", "r2"));
    CHECK(rmdir("r2"));
    CHECK(rmdir("t"));
    drain("a rename through an unwatched directory", gr);
    close(gr);

    /* a user's group: inode marks, and the pid of its own process alone */
    CHECK(mkdir("u", 0777) == 0 && chmod("u", 0777) == 0);
    learn("u", "u");
    int go[2], back[2];
    CHECK(pipe(go) == 0 && pipe(back) == 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (setuid(65534) < 0)
            _exit(1);
        int gu = group(FAN_REPORT_DFID_NAME);
        CHECK(gu >= 0);
        CHECK(fan_mark(gu, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE, AT_FDCWD, "u"));
        CHECK(fan_mark(gu, FAN_MARK_ADD, FAN_CREATE | FAN_DELETE, AT_FDCWD, "u"));
        CHECK(close(open("u/mine", O_CREAT | O_WRONLY, 0644)));
        CHECK(write(go[1], "x", 1));
        CHECK(read(back[0], &c, 1));
        drain("a user's FAN_REPORT_DFID_NAME group", gu);
        fflush(stdout);
        _exit(0);
    }
    char c;
    CHECK(read(go[0], &c, 1));
    CHECK(close(open("u/theirs", O_CREAT | O_WRONLY, 0644)));
    CHECK(unlink("u/mine"));
    CHECK(write(back[1], "x", 1));
    waitpid(pid, NULL, 0);
    CHECK(unlink("u/theirs"));
    CHECK(rmdir("u"));

    /* a truncation has no path (Linux's fsnotify_change): a group that
     * reports descriptors and a mount's mark hear none of it, a FID
     * group's file system mark does; a write is heard by all */
    int gplain = group(0), gm = group(FAN_REPORT_FID), gfs = group(FAN_REPORT_FID);
    CHECK(fan_mark(gplain, FAN_MARK_ADD, FAN_MODIFY | FAN_EVENT_ON_CHILD, AT_FDCWD, "."));
    CHECK(fan_mark(gm, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_MODIFY, AT_FDCWD, "."));
    CHECK(fan_mark(gfs, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_MODIFY, AT_FDCWD, "."));
    fd = open("tr", O_CREAT | O_RDWR, 0644);
    learn("tr", "tr");
    CHECK(ftruncate(fd, 10));
    CHECK(close(open("tr", O_RDWR | O_TRUNC)));
    drain("truncations, a descriptor group's directory mark", gplain);
    drain("truncations, a FID group's mount mark", gm);
    drain("truncations, a FID group's file system mark", gfs);
    CHECK(write(fd, "x", 1));
    drain("a write, a descriptor group's directory mark", gplain);
    drain("a write, a FID group's mount mark", gm);
    CHECK(close(fd) == 0 && unlink("tr") == 0);
    close(gplain), close(gm), close(gfs);

    /* marks do not hold the mount: it goes with them, and the events read
     * after are those from before */
    int gs = group(FAN_REPORT_FID);
    CHECK(fan_mark(gs, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_DELETE | FAN_ONDIR, AT_FDCWD, "."));
    CHECK(fan_mark(gs, FAN_MARK_ADD, FAN_DELETE_SELF | FAN_ONDIR, AT_FDCWD, "lost+found"));
    CHECK(mkdir("z", 0755) == 0 && rmdir("z") == 0);
    CHECK(chdir("/"));
    CHECK(umount(MNT));
    drain("a group whose marks were on the unmounted file system", gs);
    close(gs);
    CHECK(ioctl(ldev, LOOP_CLR_FD, 0));
    close(ldev), close(img);
    unlink(IMG);
    rmdir(MNT);

    /* /tmp's file system (a disk's on most machines, tmpfs here; both have
     * an fsid): a FID group may mark it whole, as LTP's fanotify16 first
     * marks "." or "/", and hears a directory of its own (other programs
     * use /tmp meanwhile) */
    CHECK(statfs("/tmp", &sf));
    memcpy(fsid, &sf.f_fsid, sizeof fsid);
    nknown = 0, lengths = false;
    int gtmp = group(FAN_REPORT_DFID_NAME);
    CHECK(fan_mark(gtmp, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_ONDIR, AT_FDCWD, "/tmp"));
    CHECK(fan_mark(gtmp, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_ONDIR, AT_FDCWD, "/tmp"));
    rmdir("/tmp/fanfidrec.d");
    CHECK(mkdir("/tmp/fanfidrec.d", 0700));
    learn("the directory", "/tmp/fanfidrec.d");
    CHECK(fan_mark(gtmp, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR | FAN_EVENT_ON_CHILD, AT_FDCWD, "/tmp/fanfidrec.d"));
    CHECK(mkdir("/tmp/fanfidrec.d/sub", 0700) == 0 && rmdir("/tmp/fanfidrec.d/sub") == 0);
    CHECK(close(open("/tmp/fanfidrec.d/f", O_CREAT | O_WRONLY, 0600)) == 0 && unlink("/tmp/fanfidrec.d/f") == 0);
    drain("a directory of /tmp's file system", gtmp);
    close(gtmp);
    rmdir("/tmp/fanfidrec.d");
    return 0;
}
