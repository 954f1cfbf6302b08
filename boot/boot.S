/*
 * boot/boot.S - multiboot2 header and the 32-bit entry into long mode.
 *
 * GRUB enters _start in 32-bit protected mode with paging off, EAX holding
 * the multiboot2 magic and EBX the physical address of the boot information.
 * This file builds boot page tables that map the first 4 GiB three ways
 * (identity, the direct map at HHDM_BASE, and the kernel image at
 * KERNEL_VMA), enables PAE, long mode and NX, and jumps to the higher-half
 * entry, which calls kernel_main(mbi_phys).  Everything here lives in the
 * low ".boot" sections that are linked at their physical address.
 * Book: docs/boot.md.
 */
#define KERNEL_VMA 0xffffffff80000000
#define MB2_MAGIC  0xe85250d6
#define MB2_ARCH   0

    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
    /* end tag */
    .short 0
    .short 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    mov $boot_stack32_top, %esp
    cmp $0x36d76289, %eax
    jne no_multiboot
    mov %ebx, %edi                  /* keep the mbi pointer in edi */

    /* Long mode and NX available? */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode
    mov %edx, %esi                  /* bit 20: NX */

    /* Zero the seven boot tables. */
    push %edi
    mov $boot_pml4, %edi
    xor %eax, %eax
    mov $(7 * 4096 / 4), %ecx
    rep stosl
    pop %edi

    /* PML4[0] and PML4[256] -> pdpt_low (identity and direct map). */
    mov $boot_pdpt_low, %eax
    or $3, %eax
    mov %eax, boot_pml4
    mov %eax, boot_pml4 + 256 * 8
    /* PML4[511] -> pdpt_high; pdpt_high[510] -> pd0 (kernel at -2 GiB). */
    mov $boot_pdpt_high, %eax
    or $3, %eax
    mov %eax, boot_pml4 + 511 * 8
    mov $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt_high + 510 * 8
    /* pdpt_low[0..3] -> the four page directories. */
    mov $boot_pd, %eax
    or $3, %eax
    xor %ecx, %ecx
1:  mov %eax, boot_pdpt_low(,%ecx,8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jne 1b
    /* 2048 2-MiB pages: 4 GiB. */
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, huge */
    mov %eax, boot_pd(,%ecx,8)
    mov %ecx, %eax
    shr $11, %eax                   /* high dword: bits 32+ of the address */
    mov %eax, boot_pd + 4(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jne 2b

    /* CR4: PAE | PGE. */
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7)), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    /* EFER: LME, SCE, and NXE when the CPU has NX. */
    mov $0xc0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 0)), %eax
    test $(1 << 20), %esi
    jz 3f
    or $(1 << 11), %eax
3:  wrmsr
    /* CR0: PG | WP | PE. */
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $start64

no_multiboot:
    mov $msg_no_mb, %esi
    jmp fail32
no_long_mode:
    mov $msg_no_lm, %esi
fail32:
    /* Print the message on COM1 and halt. */
    mov $0x3f8, %dx
4:  lodsb
    test %al, %al
    jz 5f
    out %al, %dx
    jmp 4b
5:  hlt
    jmp 5b

    .code64
start64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp
    mov %edi, %edi                  /* zero-extend the mbi address */
    movabs $kernel_entry, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt
msg_no_mb:
    .asciz "persona: not started by a multiboot2 loader\r\n"
msg_no_lm:
    .asciz "persona: this CPU has no long mode\r\n"

    .section .boot.bss, "aw", @nobits
    .balign 4096
    .globl boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_stack32:   .skip 1024
boot_stack32_top:

    .text
    .globl kernel_entry
kernel_entry:
    call kernel_main
6:  cli
    hlt
    jmp 6b

    .bss
    .balign 16
boot_stack:
    .skip 16384
    .globl boot_stack_top
boot_stack_top:
