/*
 * personalities/hello/prog/greet.c - a hello program: greets each name on
 * its command line ("Hello, world!" with none) on standard output.
 */
#include "hello.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc || i == 1; i++) {
        char line[256];
        const char *name = i < argc ? argv[i] : "world";
        long n = 0;
        for (const char *s = "Hello, "; *s;)
            line[n++] = *s++;
        for (const char *s = name; *s && n < (long)sizeof line - 2;)
            line[n++] = *s++;
        line[n++] = '!';
        line[n++] = '\n';
        if (hello_write(1, line, n) != n)
            return 1;
    }
    return 0;
}
