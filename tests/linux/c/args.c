/*
 * tests/linux/c/args.c - execve's arguments and environment as Linux
 * limits them: together up to a quarter of the stack limit (at least 128
 * KiB), each string up to 128 KiB, as many strings as fit (E2BIG past
 * that); a lowered RLIMIT_STACK lowers the room; argv[0] "" when argv is
 * empty; "#!" gives its interpreter the rest of the line as one argument.
 * The child reports what it got, and how much of it /proc/self/cmdline
 * and environ show (all of it, however long).  One line per check; the
 * output must equal the host Linux's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[64];

static size_t file_size(const char *path)
{
    size_t n = 0, k;
    char b[4096];
    FILE *f = fopen(path, "r");
    while (f && (k = fread(b, 1, sizeof b, f)) > 0)
        n += k;
    if (f)
        fclose(f);
    return n;
}

/* Runs self with argv (as "child") and envp; what execve said, or the
 * child's report. */
static void run(const char *what, char **argv, char **envp)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execve(self, argv, envp);
        printf("%-44s execve: %s\n", what, strerror(errno));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* n strings of len bytes each ('a'), argv[0] "./args", then "child". */
static char **many(int n, size_t len)
{
    char **v = calloc((size_t)n + 3, sizeof *v), *s = malloc(len + 1);
    memset(s, 'a', len);
    s[len] = '\0';
    v[0] = "./args", v[1] = "child";
    for (int i = 0; i < n; i++)
        v[i + 2] = s;
    return v;
}

int main(int argc, char **argv, char **envp)
{
    if (argc > 1 && !strncmp(argv[1], "child", 5)) {
        size_t total = 0;
        for (int i = 0; i < argc; i++)
            total += strlen(argv[i]) + 1;
        int envc = 0;
        while (envp[envc])
            envc++;
        size_t envbytes = 0;
        for (int i = 0; i < envc; i++)
            envbytes += strlen(envp[i]) + 1;
        printf("%-44s argc %d, %zu bytes, envc %d", "  child got", argc, total, envc);
        if (file_size("/proc/self/cmdline") != total || file_size("/proc/self/environ") != envbytes)
            printf(", /proc/self shows %zu and %zu", file_size("/proc/self/cmdline"),
                   file_size("/proc/self/environ"));
        for (int i = 1; i < argc && i < 4 && strlen(argv[i]) < 20; i++)
            printf(", [%s]", argv[i]);
        printf("\n");
        return 0;
    }
    if (getenv("ARGS_RUNNING"))
        return 1; /* never more than one level down */
    setenv("ARGS_RUNNING", "1", 1);
    if (argc == 0) { /* run with an empty argv */
        printf("%-44s argc 0\n", "  child got");
        return 0;
    }
    if (argc == 1 && argv[0][0] == '\0') {
        printf("%-44s argv[0] \"\"\n", "  child got");
        return 0;
    }
    snprintf(self, sizeof self, "%s", "./args");
    char *noenv[] = {NULL};
    run("100000 small arguments", many(100000, 3), noenv);
    run("1 MiB of arguments", many(1024, 1023), noenv);
    run("3 MiB of arguments (past a quarter of 8 MiB)", many(3 * 1024, 1023), noenv);
    run("one 128 KiB argument", many(1, 128 * 1024), noenv);
    run("one argument of 128 KiB less its NUL", many(1, 128 * 1024 - 1), noenv);
    char **env = many(2000, 100);
    env[0] = "A=1", env[1] = "B=2";
    run("200 KiB of environment", (char *[]){"./args", "child", NULL}, env);
    struct rlimit rl = {1 << 20, RLIM_INFINITY};
    setrlimit(RLIMIT_STACK, &rl);
    run("300 KiB with a 1 MiB stack limit", many(300, 1023), noenv);
    run("100 KiB with a 1 MiB stack limit", many(100, 1023), noenv);
    rl.rlim_cur = 8 << 20;
    setrlimit(RLIMIT_STACK, &rl);
    run("an empty argv", (char *[]){NULL}, noenv);
    FILE *f = fopen("script", "w");
    fprintf(f, "#!./args  child  two words\t \n");
    fclose(f);
    chmod("script", 0755);
    snprintf(self, sizeof self, "%s", "./script");
    run("#! with the rest of its line", (char *[]){"./script", "x", NULL}, noenv);
    return 0;
}
