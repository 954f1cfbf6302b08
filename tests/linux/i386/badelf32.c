/*
 * tests/linux/i386/badelf32.c - execve of broken 32-bit ELF files fails
 * with ENOEXEC, the calling process going on: class 32 with garbage after
 * the ident, an x86-64 machine in a 32-bit header, a relocatable file, a
 * program header size that is not Elf32_Phdr's, no program headers, and
 * program headers past the end of the file; then a good exec of this
 * program itself.  Built gcc -m32 -static; the output must equal the host
 * Linux's running the same binary.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static Elf32_Ehdr good_header(void)
{
    Elf32_Ehdr h;
    memset(&h, 0, sizeof h);
    memcpy(h.e_ident, ELFMAG, SELFMAG);
    h.e_ident[EI_CLASS] = ELFCLASS32;
    h.e_ident[EI_DATA] = ELFDATA2LSB;
    h.e_ident[EI_VERSION] = EV_CURRENT;
    h.e_type = ET_EXEC;
    h.e_machine = EM_386;
    h.e_version = EV_CURRENT;
    h.e_entry = 0x8049000;
    h.e_phoff = sizeof h;
    h.e_ehsize = sizeof h;
    h.e_phentsize = sizeof(Elf32_Phdr);
    h.e_phnum = 1;
    return h;
}

static void try_exec(const char *what, const void *bytes, size_t len)
{
    int fd = open("bad", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, bytes, len);
    close(fd);
    char *argv[] = {"bad", NULL}, *envp[] = {NULL};
    long r = execve("bad", argv, envp);
    printf("%-40s %ld %s\n", what, r, strerror(errno));
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("exec'd again: %s\n", argv[1]);
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    static const char garbage[] = "\177ELF\1\1\1\0garbage that is no header";
    try_exec("class 32, garbage", garbage, sizeof garbage);
    struct { Elf32_Ehdr h; Elf32_Phdr p; } f;
    memset(&f, 0, sizeof f);
    f.p.p_type = PT_LOAD;
    f.p.p_vaddr = f.p.p_paddr = 0x8048000;
    f.p.p_filesz = f.p.p_memsz = sizeof f;
    f.p.p_flags = PF_R | PF_X;
    f.p.p_align = 4096;
    f.h = good_header();
    f.h.e_machine = EM_X86_64;
    try_exec("an x86-64 machine in a 32-bit header", &f, sizeof f);
    f.h = good_header();
    f.h.e_type = ET_REL;
    try_exec("a relocatable file", &f, sizeof f);
    f.h = good_header();
    f.h.e_phentsize = sizeof(Elf64_Phdr);
    try_exec("program headers of the wrong size", &f, sizeof f);
    f.h = good_header();
    f.h.e_phnum = 0;
    try_exec("no program headers", &f, sizeof f);
    f.h = good_header();
    f.h.e_phoff = 100000;
    try_exec("program headers past the end", &f, sizeof f);
    pid_t pid = fork();
    if (pid == 0) {
        char *again[] = {argv[0], "yes", NULL}, *envp[] = {NULL};
        execve("/proc/self/exe", again, envp);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("the good exec's child exited %d\n", WEXITSTATUS(status));
    return 0;
}
