/*
 * tests/native/t-supervise.c - a client of a supervised server
 * (tests/qemu/supervise-hello.test): hello, with crash=3 restart=1, dies;
 * a call waiting on its endpoint fails with EPIPE; persona_lookup gives
 * the restarted server's new endpoint; after the second death, which
 * uses up its restarts, the lookup says EPIPE, and the rest runs on.
 */
#include "check.h"
#include <persona/spawn.h>
#include <persona/supervisor.h>

int main(void)
{
    struct ipc_msg m = {{SPAWN_NEXT}};
    int old = persona_endpoint("hello");
    CHECK(old > 0, "a use=hello handle from boot");
    long r = ipc_call(old, &m, 0, NULL); /* no program of ours runs there: this waits until hello dies */
    CHECK(r == -32, "a call waiting on hello's endpoint fails with EPIPE when it dies (%ld)", r);
    long fresh = persona_lookup("hello");
    CHECK(fresh > 0 && fresh != old, "persona_lookup(\"hello\") gives a new handle once it is restarted");
    CHECK(sys_handle_close(old) == 0, "the old one is closed");
    m = (struct ipc_msg){{SPAWN_NEXT}};
    r = ipc_call((int)fresh, &m, 0, NULL);
    CHECK(r == -32, "a call on the new endpoint fails with EPIPE at the second death (%ld)", r);
    r = persona_lookup("hello");
    CHECK(r == -32, "then hello stays down: persona_lookup is EPIPE (%ld)", r);
    r = persona_lookup("nosuch");
    long r2 = persona_lookup("a-name-longer-than-23-bytes");
    CHECK(r == -2 && r2 == -2, "a name no module serves is ENOENT (%ld %ld)", r, r2);
    r = persona_lookup("console");
    CHECK(r > 0, "the console is still there (%ld)", r);
    finish();
    return 0;
}
