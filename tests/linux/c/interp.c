/*
 * tests/linux/c/interp.c - execve of dynamic programs, those that name an
 * interpreter (PT_INTERP): the interpreter is read from the file system
 * (here by a path relative to the working directory, as Linux allows) and
 * runs first, and a missing or bad one is a clean error.  The programs are
 * made here, byte by byte: a fixed-address executable naming an
 * interpreter, and a position-independent interpreter that writes a line
 * and exits.  One line per check; the output must equal the host Linux's.
 *
 * With the argument "dynamic-interp" it checks instead that an interpreter
 * which names an interpreter itself is refused with ELIBBAD, where Linux
 * would run it unrelocated and let it crash (run by tests/run-all.py on
 * Persona alone).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* write(1, msg, len); exit(0) with msg right after the code */
static const unsigned char code[] = {
    0x48, 0x8d, 0x35, 0x1a, 0, 0, 0,  /* lea msg(%rip), %rsi (26 bytes on) */
    0xbf, 1, 0, 0, 0,                 /* mov $1, %edi */
    0xba, 0, 0, 0, 0,                 /* mov $len, %edx (patched) */
    0xb8, 1, 0, 0, 0,                 /* mov $1, %eax (write) */
    0x0f, 0x05,                       /* syscall */
    0x31, 0xff,                       /* xor %edi, %edi */
    0xb8, 231, 0, 0, 0,               /* mov $231, %eax (exit_group) */
    0x0f, 0x05,                       /* syscall */
};

/* An ELF file at path: type ET_EXEC at 0x400000 or ET_DYN at 0, one
 * PT_LOAD holding the code and msg, and a PT_INTERP naming interp (with
 * interp_len bytes of it, NUL included) unless interp is NULL. */
static void make_elf(const char *path, int type, const char *msg, const char *interp, size_t interp_len)
{
    unsigned char buf[4096];
    memset(buf, 0, sizeof buf);
    Elf64_Ehdr *h = (Elf64_Ehdr *)buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof *h);
    uint64_t base = type == ET_EXEC ? 0x400000 : 0, at = 0x100;
    memcpy(h->e_ident, "\177ELF\2\1\1", 7);
    h->e_type = (uint16_t)type, h->e_machine = EM_X86_64, h->e_version = 1, h->e_phoff = sizeof *h;
    h->e_ehsize = sizeof *h, h->e_phentsize = sizeof *ph, h->e_phnum = interp ? 2 : 1, h->e_entry = base + at;
    size_t n = strlen(msg);
    memcpy(buf + at, code, sizeof code);
    memcpy(buf + at + 13, &(uint32_t){(uint32_t)n}, 4);
    memcpy(buf + at + sizeof code, msg, n);
    size_t size = at + sizeof code + n;
    ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = base, .p_paddr = base,
                         .p_filesz = size, .p_memsz = size, .p_align = 4096};
    if (interp) {
        memcpy(buf + 0x200, interp, interp_len);
        ph[1] = (Elf64_Phdr){.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x200, .p_vaddr = base + 0x200,
                             .p_filesz = interp_len, .p_memsz = interp_len, .p_align = 1};
        size = 0x200 + interp_len;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, buf, size);
    close(fd);
}

/* Runs path in a child: what execve said, or how the child ended. */
static void run(const char *what, const char *path)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)path, NULL}, *envp[] = {NULL};
        execve(path, argv, envp);
        printf("%-44s execve: %s (errno %d)\n", what, strerror(errno), errno);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st))
        printf("%-44s status %#x\n", what, st);
}

static void named(const char *interp)
{
    make_elf("prog", ET_EXEC, "program ran itself\n", interp, strlen(interp) + 1);
}

int main(int argc, char **argv)
{
    make_elf("ld.so", ET_DYN, "the interpreter ran\n", NULL, 0);
    if (argc > 1 && strcmp(argv[1], "dynamic-interp") == 0) {
        make_elf("ld2.so", ET_DYN, "a dynamic interpreter ran\n", "./ld.so", 8);
        named("./ld2.so");
        run("an interpreter naming an interpreter", "./prog");
        return 0;
    }
    named("./ld.so");
    run("interpreter by relative path", "./prog");
    named("/nonexistent/ld.so");
    run("a missing interpreter", "./prog");
    static const char script[] = "#!/bin/sh\n# a shell script is no interpreter for a program,\n"
                                 "# even one long enough to hold an ELF header\necho script\n";
    int fd = open("notelf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, script, 22);
    close(fd);
    named("./notelf");
    run("an interpreter shorter than an ELF header", "./prog");
    fd = open("notelf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, script, sizeof script - 1);
    close(fd);
    run("an interpreter that is no ELF file", "./prog");
    mkdir("dir", 0755);
    named("./dir");
    run("an interpreter that is a directory", "./prog");
    make_elf("prog", ET_EXEC, "program ran itself\n", "./ld.so", 7); /* no NUL at its end */
    run("an interpreter name without its NUL", "./prog");
    make_elf("prog", ET_EXEC, "program ran itself\n", "", 1);
    run("an empty interpreter name", "./prog");
    make_elf("pie", ET_DYN, "a position-independent program ran\n", NULL, 0);
    run("a static position-independent program", "./pie");
    return 0;
}
