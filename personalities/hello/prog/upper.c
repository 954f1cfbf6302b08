/*
 * personalities/hello/prog/upper.c - a hello program: copies standard
 * input to standard output in capitals, until end of file.  Exits 0, or 1
 * if a read or write fails.
 */
#include "hello.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    char buf[512];
    long n;
    while ((n = hello_read(0, buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        for (long done = 0, w; done < n; done += w)
            if ((w = hello_write(1, buf + done, n - done)) <= 0)
                return 1;
    }
    return n < 0;
}
