/*
 * tests/native/t-handles.c - a task can use only the handles it holds,
 * and only with the rights they carry.
 */
#include "check.h"

int main(void)
{
    struct ipc_msg m = {{0}};
    long ep = sys_endpoint_create();
    CHECK(ep > 0, "endpoint created (%ld)", ep);
    CHECK(ipc_call(200, &m, 0, NULL) == -9, "a handle never given is EBADF");
    CHECK(ipc_call(1000000, &m, 0, NULL) == -9, "an out-of-range handle is EBADF");
    CHECK(sys_mem_map((int)ep, 0x10000000, 4096, PROT_READ) == -9, "an endpoint is not a task: EBADF");
    long recv_only = sys_handle_mint((int)ep, R_RECV, 0);
    CHECK(recv_only > 0, "minted a receive-only handle (%ld)", recv_only);
    CHECK(ipc_call((int)recv_only, &m, 0, NULL) == -13, "calling through it is EACCES");
    CHECK(sys_handle_mint((int)recv_only, R_ALL, 0) == -13, "it cannot be minted again without R_GRANT");
    long weak_self = sys_handle_mint(H_SELF, R_MANAGE | R_GRANT, 0);
    CHECK(sys_mem_map((int)weak_self, 0x10000000, 4096, PROT_READ) == -13, "a task handle without R_MAP cannot map");
    CHECK(sys_handle_close((int)ep) == 0 && sys_handle_close((int)ep) == -9, "a closed handle is gone");
    CHECK(sys_machine_exit((int)recv_only, 0) == -9, "power off needs a device handle");
    finish();
    return 0;
}
