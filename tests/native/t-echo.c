/*
 * tests/native/t-echo.c - console input: the console server gets IRQ 4
 * as a notification, echoes what is typed, and hands over the line.
 */
#include "check.h"
#include <string.h>

int main(void)
{
    char line[128];
    printf("type a line: ");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))
        line[0] = '\0';
    line[strcspn(line, "\n")] = '\0';
    CHECK(strcmp(line, "hello persona") == 0, "read the typed line \"%s\"", line);
    finish();
    return 0;
}
