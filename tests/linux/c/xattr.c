/*
 * tests/linux/c/xattr.c - extended attributes: set, get, list and remove
 * by path, on a symlink itself and by descriptor; the size query (size 0),
 * ERANGE for a short buffer, ENODATA for an absent name, XATTR_CREATE and
 * XATTR_REPLACE, a name that is empty or too long, a namespace no file
 * system takes, "user." on a symlink, and a POSIX ACL that is not there;
 * a namespace with no name (EINVAL), and as the user nobody the file's
 * permissions, trusted.* (EPERM, ENODATA, not listed) and a sticky
 * directory's owner (run as root).
 * Listed names are sorted: file systems list them in orders of their own.
 * One line per check; the output must equal the host Linux's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static void check(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
    errno = 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names listxattr gives, sorted, on one line. */
static void show_list(const char *what, const char *path)
{
    char buf[1024], *names[32];
    ssize_t n = listxattr(path, buf, sizeof buf);
    int k = 0;
    for (ssize_t at = 0; at < n && k < 32; at += (ssize_t)strlen(buf + at) + 1)
        names[k++] = buf + at;
    qsort(names, (size_t)k, sizeof *names, by_name);
    printf("%-44s %zd:", what, n);
    for (int i = 0; i < k; i++)
        printf(" %s", names[i]);
    printf("\n");
}

int main(void)
{
    char buf[256], big[300];
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    symlink("f", "link");
    check("listxattr(f) with none, size 0", listxattr("f", NULL, 0));
    check("getxattr(f, user.a) absent", getxattr("f", "user.a", buf, sizeof buf));
    check("setxattr(f, user.a, \"one\")", setxattr("f", "user.a", "one", 3, 0));
    check("getxattr(f, user.a, size 0)", getxattr("f", "user.a", NULL, 0));
    long n = getxattr("f", "user.a", buf, sizeof buf);
    printf("%-44s %ld %.*s\n", "getxattr(f, user.a)", n, (int)(n > 0 ? n : 0), buf);
    check("getxattr(f, user.a) into 2 bytes", getxattr("f", "user.a", buf, 2));
    check("setxattr(user.a, XATTR_CREATE) existing", setxattr("f", "user.a", "x", 1, XATTR_CREATE));
    check("setxattr(user.b, XATTR_REPLACE) absent", setxattr("f", "user.b", "x", 1, XATTR_REPLACE));
    check("setxattr(user.a, XATTR_REPLACE, \"\")", setxattr("f", "user.a", "", 0, XATTR_REPLACE));
    check("getxattr(f, user.a) now empty", getxattr("f", "user.a", buf, sizeof buf));
    check("setxattr(f, user.b, bad flags)", setxattr("f", "user.b", "x", 1, 4));
    check("fsetxattr(fd, user.b, \"two\")", fsetxattr(fd, "user.b", "two", 3, 0));
    check("lsetxattr(link, trusted.t, \"t\")", lsetxattr("link", "trusted.t", "t", 1, 0));
    check("lgetxattr(link, trusted.t)", lgetxattr("link", "trusted.t", buf, sizeof buf));
    check("getxattr(link, trusted.t) follows", getxattr("link", "trusted.t", buf, sizeof buf));
    show_list("listxattr(f)", "f");
    check("listxattr(f) into 4 bytes", listxattr("f", buf, 4));
    check("flistxattr(fd, size 0)", flistxattr(fd, NULL, 0));
    check("lsetxattr(link, user.x) on a symlink", lsetxattr("link", "user.x", "x", 1, 0));
    check("lgetxattr(link, user.x) on a symlink", lgetxattr("link", "user.x", buf, sizeof buf));
    check("setxattr(f, \"\")", setxattr("f", "", "x", 1, 0));
    memset(big, 'n', sizeof big);
    memcpy(big, "user.", 5);
    big[sizeof big - 1] = '\0';
    check("setxattr(f, 299-byte name)", setxattr("f", big, "x", 1, 0));
    check("setxattr(f, nonsense.a)", setxattr("f", "nonsense.a", "x", 1, 0));
    check("getxattr(f, nonsense.a)", getxattr("f", "nonsense.a", buf, sizeof buf));
    check("getxattr(f, system.posix_acl_access)", getxattr("f", "system.posix_acl_access", buf, sizeof buf));
    check("setxattr(f, user.big, 70000 bytes)", setxattr("f", "user.big", calloc(1, 70000), 70000, 0));
    check("getxattr(missing, user.a)", getxattr("missing", "user.a", buf, sizeof buf));
    check("getxattr(NULL path)", getxattr(NULL, "user.a", buf, sizeof buf));
    check("fgetxattr(-1, user.a)", fgetxattr(-1, "user.a", buf, sizeof buf));
    int p[2];
    pipe(p);
    check("fgetxattr(pipe, user.a)", fgetxattr(p[0], "user.a", buf, sizeof buf));
    check("removexattr(f, user.a)", removexattr("f", "user.a"));
    check("removexattr(f, user.a) again", removexattr("f", "user.a"));
    check("fremovexattr(fd, user.b)", fremovexattr(fd, "user.b"));
    check("lremovexattr(link, trusted.t)", lremovexattr("link", "trusted.t"));
    show_list("listxattr(f) at the end", "f");
    mkdir("d", 0755);
    check("setxattr(d, user.dir) on a directory", setxattr("d", "user.dir", "1", 1, 0));
    show_list("listxattr(d)", "d");
    check("setxattr(f, user. with no name)", setxattr("f", "user.", "x", 1, 0));
    check("getxattr(f, trusted. with no name)", getxattr("f", "trusted.", buf, sizeof buf));
    check("setxattr(f, trusted.t)", setxattr("f", "trusted.t", "t", 1, 0));
    check("setxattr(f, user.r)", setxattr("f", "user.r", "r", 1, 0));
    mkdir("sticky", 0755);
    chmod("sticky", 01777);
    chmod(".", 0755); /* the user nobody's way in */
    fflush(stdout);
    if (fork() == 0) { /* as nobody: the file's permissions, trusted.* and a sticky directory's owner */
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        check("nobody: setxattr(f, user.q) on 0644", setxattr("f", "user.q", "q", 1, 0));
        check("nobody: getxattr(f, user.r)", getxattr("f", "user.r", buf, sizeof buf));
        check("nobody: setxattr(f, trusted.q)", setxattr("f", "trusted.q", "q", 1, 0));
        check("nobody: getxattr(f, trusted.t)", getxattr("f", "trusted.t", buf, sizeof buf));
        check("nobody: removexattr(f, trusted.t)", removexattr("f", "trusted.t"));
        check("nobody: setxattr(sticky, user.q)", setxattr("sticky", "user.q", "q", 1, 0));
        show_list("nobody: listxattr(f), no trusted.*", "f");
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    return 0;
}
