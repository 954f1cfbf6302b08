/*
 * tests/linux/c/static-pie.c - built as a static PIE with glibc (ET_DYN, no
 * interpreter): the loader places it at a fixed base and it relocates
 * itself.  Its output must equal the host's.
 */
#include <stdio.h>
#include <string.h>

static const char *msg = "relocated pointers work";
static int table[4] = {1, 2, 3, 4};

int main(int argc, char **argv)
{
    int sum = 0;
    for (int i = 0; i < 4; i++)
        sum += table[i];
    printf("%s; argc %d; argv[0] ends in static-pie: %d; sum %d\n", msg, argc,
           strstr(argv[0], "static-pie") != NULL, sum);
    return 0;
}
