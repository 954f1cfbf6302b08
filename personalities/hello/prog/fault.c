/*
 * personalities/hello/prog/fault.c - a hello program that says what it is
 * about to do, then reads address 0: the hello personality reports the
 * page fault in plain words and ends it with status 128 + 14.
 */
#include "hello.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    hello_puts(1, "fault: reading address 0\n");
    return *(volatile int *)0;
}
