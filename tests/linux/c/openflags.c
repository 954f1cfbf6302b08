/*
 * tests/linux/c/openflags.c - open's flags and names at their edges: a
 * trailing slash (a directory's, else ENOTDIR; with O_CREAT, EISDIR), a
 * directory opened with O_TRUNC or O_CREAT (EISDIR, before its
 * permissions), O_CREAT through a dangling symlink (the target made; with
 * O_EXCL, EEXIST), O_TMPFILE (a file with no name: its flags' checks, its
 * mode, F_GETFL, linkat through /proc/self/fd unless O_EXCL), mkdir's mode
 * (no set-group-ID of its own), and as the user nobody O_NOATIME (EPERM on
 * another's file) and a directory opened for writing, set-group-ID kept
 * from a new file outside one's groups (dropped before the umask), and
 * set-user-ID and set-group-ID taken away by a write or truncation.  Run
 * as root.  One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NOBODY 65534

static void show(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        printf("%s: %s\n", path, errno_name(errno));
    else
        printf("%s: mode %o nlink %ld gid %d size %ld\n", path, st.st_mode, (long)st.st_nlink, (int)st.st_gid,
               S_ISDIR(st.st_mode) ? 0L : (long)st.st_size);
}

static void names(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0 && close(fd) == 0);
    CHECK(mkdir("d", 0755));
    CHECK(open("f/", O_RDONLY));
    CHECK(open("f//", O_RDONLY));
    CHECK(open("f/.", O_RDONLY));
    CHECK(open("d/", O_RDONLY) >= 0);
    CHECK(open("d/", O_CREAT | O_RDONLY, 0644));
    CHECK(open("new/", O_CREAT | O_RDWR, 0644));
    CHECK(open("f/", O_CREAT | O_RDWR, 0644));
    CHECK(open("nodir/new/", O_CREAT | O_RDWR, 0644));
    CHECK(open("d/.", O_CREAT | O_RDONLY, 0644));
    CHECK(open("d", O_RDONLY | O_TRUNC));
    CHECK(open("d", O_RDONLY | O_CREAT, 0644));
    CHECK(open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
    show("new");
    CHECK(symlink("f", "lf"));
    CHECK(open("lf/", O_RDONLY));
    CHECK(symlink("d", "ld"));
    CHECK(open("ld/", O_RDONLY) >= 0);
    CHECK(open("ld", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    CHECK(open("lf", O_RDONLY | O_NOFOLLOW));
    CHECK(symlink("made", "dangling"));
    CHECK(symlink("d/made2", "dangling2"));
    CHECK(symlink("made3/", "dangling3"));
    CHECK(open("dangling", O_RDWR | O_CREAT | O_EXCL, 0600));
    show("made");
    CHECK(open("dangling", O_RDWR | O_NOFOLLOW | O_CREAT, 0600));
    fd = open("dangling", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && close(fd) == 0);
    show("made");
    fd = open("dangling2", O_RDWR | O_CREAT, 0640);
    CHECK(fd >= 0 && close(fd) == 0);
    show("d/made2");
    CHECK(open("dangling3", O_RDWR | O_CREAT, 0600));
    show("made3");
}

static void tmpfiles(void)
{
    char proc[64], buf[8] = {0};
    CHECK(open("d", O_TMPFILE | O_RDONLY, 0600));
    CHECK(open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600));
    CHECK(open("d", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600));
    CHECK(open("f", O_TMPFILE | O_RDWR, 0600));
    CHECK(open("nodir", O_TMPFILE | O_RDWR, 0600));
    umask(027);
    int fd = open("d", O_TMPFILE | O_RDWR, 0666);
    CHECK(fd >= 0);
    umask(022);
    struct stat st;
    CHECK(fstat(fd, &st));
    printf("tmpfile: mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
    CHECK(fcntl(fd, F_GETFL));
    CHECK(write(fd, "abc", 3));
    CHECK(pread(fd, buf, sizeof buf, 0));
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/named", 0));
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/named", AT_SYMLINK_FOLLOW));
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/named2", AT_SYMLINK_FOLLOW));
    show("d/named");
    CHECK(close(fd));
    fd = open("d", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
    CHECK(fd >= 0);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/excl", AT_SYMLINK_FOLLOW));
    CHECK(fcntl(fd, F_GETFL));
    CHECK(close(fd));
    show("d/excl");
    fd = open("d", O_TMPFILE | O_RDWR, 0600);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/once", AT_SYMLINK_FOLLOW));
    CHECK(unlink("d/once"));
    CHECK(linkat(AT_FDCWD, proc, AT_FDCWD, "d/twice", AT_SYMLINK_FOLLOW));
    CHECK(close(fd));
}

static void as_nobody(void)
{
    CHECK(mkdir("sg", 0777));
    CHECK(chown("sg", 0, 1234));
    CHECK(chmod("sg", 02777));
    CHECK(mkdir("plain", 02755));
    show("plain");
    CHECK(mkdir("sg/sub", 0755));
    show("sg/sub");
    CHECK(mkdir("sticky", 01777));
    show("sticky");
    CHECK(open("f", O_RDONLY | O_NOATIME) >= 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
            _exit(1);
        CHECK(open("f", O_RDONLY | O_NOATIME));
        CHECK(open("d", O_RDWR));
        CHECK(open("d", O_RDONLY | O_TRUNC));
        int fd = open("sg/mine", O_CREAT | O_RDWR, 0644);
        CHECK(fd >= 0);
        CHECK(fcntl(fd, F_SETFL, O_NOATIME));
        CHECK(open("sg/mine", O_RDONLY | O_NOATIME) >= 0);
        int other = open("f", O_RDONLY);
        CHECK(fcntl(other, F_SETFL, O_NOATIME));
        show("sg/mine");
        /* not in sg's group: no set-group-ID with group execute for a new file, as mode_strip_sgid */
        CHECK(close(open("sg/exec", O_CREAT | O_RDWR, 02755)));
        show("sg/exec");
        CHECK(close(open("sg/noexec", O_CREAT | O_RDWR, 02745)));
        show("sg/noexec");
        CHECK(mknod("sg/node", S_IFREG | 02755, 0));
        show("sg/node");
        /* dropped before the umask takes group execute off (Linux's vfs_prepare_mode) */
        umask(S_IXGRP);
        CHECK(close(creat("sg/masked", 02777)));
        show("sg/masked");
        CHECK(mknod("sg/fifo", S_IFIFO | 02777, 0));
        show("sg/fifo");
        umask(022);
        /* a write or truncation without CAP_FSETID takes set-user-ID away, and set-group-ID with group execute */
        int suid = open("sg/suid", O_CREAT | O_RDWR, 0755);
        CHECK(fchmod(suid, 04755));
        CHECK(write(suid, "x", 1));
        show("sg/suid");
        CHECK(fchmod(suid, 06775) + fchown(suid, -1, NOBODY));
        CHECK(ftruncate(suid, 0));
        show("sg/suid");
        CHECK(open("sg", O_TMPFILE | O_RDWR, 0600) >= 0);
        CHECK(open("d", O_TMPFILE | O_RDWR, 0600));
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

int main(void)
{
    umask(022);
    CHECK(chmod(".", 0755)); /* the user nobody's way in */
    names();
    tmpfiles();
    as_nobody();
    return 0;
}
