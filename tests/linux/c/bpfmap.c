/*
 * tests/linux/c/bpfmap.c - bpf(2)'s maps with raw calls: creating arrays,
 * hash maps, their per-CPU kinds and LRU hash maps, and the errors of
 * bad attributes; lookup, update with BPF_ANY, BPF_NOEXIST and
 * BPF_EXIST, delete, walking the keys, lookup-and-delete, a map's
 * information, read-only and write-only descriptors, a frozen map, the
 * batch commands, and
 * EPERM for a caller without CAP_BPF or CAP_SYS_ADMIN.  If the probe (an array's
 * creation) fails, the test says so and stops, on either side.
 *
 * A per-CPU map's value comes once per possible CPU: the buffers have
 * room for many, and only the first CPU's is printed.  A hash map's keys
 * are printed sorted (Linux walks its buckets in hash order).  Map ids
 * differ between runs, and are not printed.
 */
#define _GNU_SOURCE
#include "check.h"
#include "bpfinsn.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>

static int map_new(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
    struct map_attr a = {.map_type = type, .key_size = ks, .value_size = vs, .max_entries = max, .map_flags = flags};
    return (int)bpf(MAP_CREATE, &a, sizeof a);
}

static long elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
    struct elem_attr a = {.map_fd = (uint32_t)fd, .key = (uintptr_t)key, .value = (uintptr_t)value, .flags = flags};
    return bpf(cmd, &a, sizeof a);
}

static long update(int fd, uint32_t key, uint64_t value, uint64_t flags)
{
    return elem(MAP_UPDATE_ELEM, fd, &key, &value, flags);
}

static uint64_t got;
static long lookup(int fd, uint32_t key)
{
    got = 0;
    return elem(MAP_LOOKUP_ELEM, fd, &key, &got, 0);
}

static void creation_errors(void)
{
    CHECK(map_new(9999, 4, 8, 4, 0));
    CHECK(map_new(MAP_ARRAY, 8, 8, 4, 0));
    CHECK(map_new(MAP_ARRAY, 4, 0, 4, 0));
    CHECK(map_new(MAP_ARRAY, 4, 8, 0, 0));
    CHECK(map_new(MAP_ARRAY, 4, 8, 4, F_NO_PREALLOC));
    CHECK(map_new(MAP_ARRAY, 4, 8, 4, F_RDONLY | F_WRONLY));
    CHECK(map_new(MAP_HASH, 0, 8, 4, 0));
    CHECK(map_new(MAP_HASH, 4, 0, 4, 0));
    CHECK(map_new(MAP_HASH, 4, 8, 0, 0));
    CHECK(map_new(MAP_HASH, 4, 8, 4, 1u << 20));
    CHECK(map_new(MAP_LRU_HASH, 4, 8, 4, F_NO_PREALLOC));
    CHECK(map_new(MAP_PERCPU_ARRAY, 4, 64 << 10, 4, 0));
    struct map_attr a = {.map_type = MAP_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1};
    memcpy(a.map_name, "bad-name", 9);
    CHECK(bpf(MAP_CREATE, &a, sizeof a));
    memset(a.map_name, 'x', 16);
    CHECK(bpf(MAP_CREATE, &a, sizeof a));
    char big[4200] = {0};
    memcpy(big, &(struct map_attr){.map_type = MAP_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1}, 16);
    CHECK(syscall(321, MAP_CREATE, big, 4097));
    big[199] = 1;
    CHECK(syscall(321, MAP_CREATE, big, 200));
    CHECK(syscall(321, MAP_CREATE, (void *)8, 64));
    CHECK(syscall(321, 9999, big, 64));
}

static void array_ops(void)
{
    int fd = map_new(MAP_ARRAY, 4, 8, 4, 0);
    char link[64] = {0}, path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("link %s cloexec %d\n", link, fcntl(fd, F_GETFD));
    char b[8];
    CHECK(read(fd, b, 8));
    for (uint32_t k = 0; k < 4; k++)
        update(fd, k, 100 + k, 0);
    CHECK(update(fd, 4, 1, 0));
    CHECK(update(fd, 1, 1, 1)); /* BPF_NOEXIST */
    CHECK(update(fd, 1, 111, 2)); /* BPF_EXIST */
    CHECK(update(fd, 1, 1, 3));
    CHECK(lookup(fd, 1));
    printf("value %llu\n", (unsigned long long)got);
    CHECK(lookup(fd, 4));
    uint32_t key = 2, next = 77;
    CHECK(elem(MAP_LOOKUP_ELEM, fd, &key, &got, 1));
    CHECK(elem(MAP_DELETE_ELEM, fd, &key, NULL, 0));
    CHECK(elem(MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &got, 0));
    CHECK(elem(MAP_GET_NEXT_KEY, fd, NULL, &next, 0));
    printf("next %u\n", next);
    CHECK(elem(MAP_GET_NEXT_KEY, fd, &key, &next, 0));
    printf("next %u\n", next);
    key = 3;
    CHECK(elem(MAP_GET_NEXT_KEY, fd, &key, &next, 0));
    key = 100;
    CHECK(elem(MAP_GET_NEXT_KEY, fd, &key, &next, 0));
    printf("next %u\n", next);
    CHECK(elem(MAP_LOOKUP_ELEM, fd, (void *)8, &got, 0));
    CHECK(elem(MAP_LOOKUP_ELEM, 999, &key, &got, 0));
    CHECK(elem(MAP_LOOKUP_ELEM, 0, &key, &got, 0));
    close(fd);
}

static int cmp_u32(const void *a, const void *b) { return *(const uint32_t *)a > *(const uint32_t *)b ? 1 : -1; }

static void print_keys(int fd)
{
    uint32_t keys[16], n = 0, k, *prev = NULL;
    while (n < 16 && elem(MAP_GET_NEXT_KEY, fd, prev, &k, 0) == 0)
        keys[n] = k, prev = &keys[n++];
    qsort(keys, n, sizeof keys[0], cmp_u32);
    printf("keys:");
    for (uint32_t i = 0; i < n; i++)
        printf(" %u", keys[i]);
    printf(" (%s)\n", strerror(errno));
    errno = 0;
}

static void hash_ops(void)
{
    int fd = map_new(MAP_HASH, 4, 8, 3, 0);
    CHECK(update(fd, 10, 1000, 0));
    CHECK(update(fd, 20, 2000, 1));
    CHECK(update(fd, 30, 3000, 0));
    CHECK(update(fd, 40, 4000, 0));
    CHECK(update(fd, 20, 1, 1));
    CHECK(update(fd, 50, 1, 2));
    CHECK(update(fd, 20, 2222, 2));
    CHECK(lookup(fd, 20));
    printf("value %llu\n", (unsigned long long)got);
    CHECK(lookup(fd, 50));
    print_keys(fd);
    uint32_t key = 20;
    CHECK(elem(MAP_DELETE_ELEM, fd, &key, NULL, 0));
    CHECK(elem(MAP_DELETE_ELEM, fd, &key, NULL, 0));
    print_keys(fd);
    key = 10;
    CHECK(elem(MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &got, 0));
    printf("value %llu\n", (unsigned long long)got);
    CHECK(lookup(fd, 10));
    CHECK(elem(MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &got, 0));
    CHECK(update(fd, 60, 6000, 0));
    CHECK(update(fd, 70, 7000, 0));
    print_keys(fd);
    key = 12345; /* a key not there: the walk starts again */
    uint32_t next;
    CHECK(elem(MAP_GET_NEXT_KEY, fd, &key, &next, 0));
    close(fd);
    fd = map_new(MAP_HASH, 4, 8, 4, F_NO_PREALLOC);
    CHECK(update(fd, 1, 1, 0));
    close(fd);
    fd = map_new(MAP_LRU_HASH, 4, 8, 64, 0);
    long bad = 0;
    for (uint32_t k = 0; k < 200; k++)
        bad += update(fd, k, k, 0) != 0;
    printf("lru updates failed %ld\n", bad);
    CHECK(update(fd, 1000, 1, 0));
    CHECK(lookup(fd, 1000));
    close(fd);
}

static void percpu_ops(void)
{
    static uint64_t vals[1024], out[1024];
    for (int t = 0; t < 2; t++) {
        int fd = map_new(t ? MAP_PERCPU_HASH : MAP_PERCPU_ARRAY, 4, 4, 4, 0);
        CHECK(fd >= 0);
        for (int k = 0; k < 1024; k++)
            vals[k] = 0x1234;
        uint32_t key = 1;
        CHECK(elem(MAP_UPDATE_ELEM, fd, &key, vals, 0));
        memset(out, 0xff, sizeof out);
        CHECK(elem(MAP_LOOKUP_ELEM, fd, &key, out, 0));
        printf("cpu0 %llx\n", (unsigned long long)out[0]);
        key = 2;
        CHECK(elem(MAP_LOOKUP_ELEM, fd, &key, out, 0));
        close(fd);
    }
}

static void info(void)
{
    struct map_attr a = {.map_type = MAP_HASH, .key_size = 8, .value_size = 16, .max_entries = 5,
                         .map_flags = F_NO_PREALLOC};
    strcpy(a.map_name, "my_map.1");
    int fd = (int)bpf(MAP_CREATE, &a, sizeof a);
    struct map_info mi;
    memset(&mi, 0, sizeof mi);
    struct info_attr ia = {.bpf_fd = (uint32_t)fd, .info_len = 88, .info = (uintptr_t)&mi};
    CHECK(bpf(OBJ_GET_INFO_BY_FD, &ia, sizeof ia));
    printf("len %u type %u key %u value %u max %u flags %u name %s\n", ia.info_len, mi.type, mi.key_size,
           mi.value_size, mi.max_entries, mi.map_flags, mi.name);
    memset(&mi, 0, sizeof mi);
    ia.info_len = 8;
    CHECK(bpf(OBJ_GET_INFO_BY_FD, &ia, sizeof ia));
    printf("len %u type %u key %u\n", ia.info_len, mi.type, mi.key_size);
    ia.bpf_fd = 999;
    CHECK(bpf(OBJ_GET_INFO_BY_FD, &ia, sizeof ia));
    ia.bpf_fd = 0;
    CHECK(bpf(OBJ_GET_INFO_BY_FD, &ia, sizeof ia));
    close(fd);
}

static void access_modes(void)
{
    int ro = map_new(MAP_ARRAY, 4, 8, 2, F_RDONLY), wo = map_new(MAP_ARRAY, 4, 8, 2, F_WRONLY);
    printf("ro flags %o wo flags %o\n", fcntl(ro, F_GETFL) & O_ACCMODE, fcntl(wo, F_GETFL) & O_ACCMODE);
    CHECK(update(ro, 0, 1, 0));
    CHECK(lookup(ro, 0));
    CHECK(update(wo, 0, 1, 0));
    CHECK(lookup(wo, 0));
    uint32_t key = 0, next;
    CHECK(elem(MAP_GET_NEXT_KEY, wo, &key, &next, 0));
    int fz = map_new(MAP_HASH, 4, 8, 2, 0);
    update(fz, 1, 10, 0);
    uint32_t a[2] = {(uint32_t)fz, 0};
    CHECK(bpf(22, a, sizeof a)); /* BPF_MAP_FREEZE */
    CHECK(bpf(22, a, sizeof a));
    CHECK(update(fz, 1, 11, 0));
    CHECK(elem(MAP_DELETE_ELEM, fz, &(uint32_t){1}, NULL, 0));
    CHECK(lookup(fz, 1));
    printf("value %llu\n", (unsigned long long)got);
    a[0] = 999;
    CHECK(bpf(22, a, sizeof a));
    a[0] = (uint32_t)ro;
    CHECK(bpf(22, a, sizeof a));
    close(ro), close(wo), close(fz);
}

struct batch_attr {
    uint64_t in_batch, out_batch, keys, values;
    uint32_t count, map_fd;
    uint64_t elem_flags, flags;
};

static long batch(int cmd, int fd, void *in, void *out, uint32_t *keys, uint64_t *values, uint32_t *count,
                  uint64_t elem_flags)
{
    struct batch_attr a = {(uintptr_t)in, (uintptr_t)out, (uintptr_t)keys, (uintptr_t)values, *count, (uint32_t)fd,
                           elem_flags, 0};
    char buf[128] = {0};
    memcpy(buf, &a, sizeof a);
    long r = syscall(321, cmd, buf, sizeof buf);
    memcpy(count, buf + 32, 4);
    return r;
}

static void print_batch(const char *what, long r, uint32_t n, const uint32_t *keys, const uint64_t *values)
{
    uint32_t order[16];
    for (uint32_t i = 0; i < n && i < 16; i++)
        order[i] = i;
    for (uint32_t i = 0; i < n && i < 16; i++) /* by key: a hash map's order is its hash's */
        for (uint32_t j = i + 1; j < n && j < 16; j++)
            if (keys[order[j]] < keys[order[i]]) {
                uint32_t t = order[i];
                order[i] = order[j], order[j] = t;
            }
    printf("%s = %ld%s%s, count %u:", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "", n);
    for (uint32_t i = 0; i < n && i < 16; i++)
        printf(" %u=%llu", keys[order[i]], (unsigned long long)values[order[i]]);
    printf("\n");
    errno = 0;
}

static void batches(void)
{
    uint32_t keys[16] = {0, 1, 2, 3}, n, tok, tok2;
    uint64_t values[16] = {10, 11, 12, 13};
    long r;
    int fd = map_new(MAP_ARRAY, 4, 8, 4, 0);
    n = 4;
    r = batch(26, fd, NULL, NULL, keys, values, &n, 0);
    print_batch("array update batch", r, n, keys, values);
    memset(keys, 0, sizeof keys), memset(values, 0, sizeof values), n = 10;
    r = batch(24, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("array lookup batch", r, n, keys, values);
    printf("out_batch %u\n", tok);
    n = 2;
    r = batch(24, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("array lookup 2", r, n, keys, values);
    printf("out_batch %u\n", tok);
    n = 10;
    r = batch(24, fd, &tok, &tok2, keys, values, &n, 0);
    print_batch("array lookup after", r, n, keys, values);
    n = 10;
    memset(values, 0, sizeof values);
    r = batch(25, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("array lookup and delete", r, n, keys, values);
    n = 1;
    memset(values, 0, sizeof values);
    r = batch(27, fd, NULL, NULL, keys, values, &n, 0);
    print_batch("array delete batch", r, n, keys, values);
    n = 4;
    memset(values, 0, sizeof values);
    r = batch(24, fd, NULL, &tok, keys, values, &n, 1);
    print_batch("elem_flags 1", r, n, keys, values);
    n = 0;
    r = batch(24, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("count 0", r, n, keys, values);
    close(fd);
    fd = map_new(MAP_HASH, 4, 8, 8, 0);
    for (uint32_t i = 0; i < 5; i++)
        keys[i] = 100 + i * 7, values[i] = i * 1000;
    n = 5;
    r = batch(26, fd, NULL, NULL, keys, values, &n, 0);
    print_batch("hash update batch", r, n, keys, values);
    memset(keys, 0, sizeof keys), memset(values, 0, sizeof values), n = 16;
    r = batch(24, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("hash lookup batch", r, n, keys, values);
    printf("out_batch %u\n", tok);
    keys[0] = 107, keys[1] = 121, n = 2;
    memset(values, 0, sizeof values);
    r = batch(27, fd, NULL, NULL, keys, values, &n, 0);
    print_batch("hash delete batch", r, n, keys, values);
    keys[0] = 107, n = 1;
    memset(values, 0, sizeof values);
    r = batch(27, fd, NULL, NULL, keys, values, &n, 0);
    print_batch("hash delete again", r, n, keys, values);
    n = 16;
    r = batch(25, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("hash lookup and delete", r, n, keys, values);
    n = 16;
    r = batch(24, fd, NULL, &tok, keys, values, &n, 0);
    print_batch("hash lookup, empty", r, n, keys, values);
    tok = 1000, n = 16;
    r = batch(24, fd, &tok, &tok2, keys, values, &n, 0);
    print_batch("hash lookup past the end", r, n, keys, values);
    close(fd);
}

static void unprivileged(void)
{
    char v[8] = {0};
    FILE *f = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
    printf("unprivileged_bpf_disabled %s", f && fgets(v, sizeof v, f) ? v : "?\n");
    if (f)
        fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) < 0)
            _exit(1);
        CHECK(map_new(MAP_ARRAY, 4, 8, 4, 0));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int probe = map_new(MAP_ARRAY, 4, 8, 4, 0);
    if (probe < 0) {
        printf("bpf maps unavailable: %s\n", strerror(errno));
        return 0;
    }
    close(probe);
    creation_errors();
    array_ops();
    hash_ops();
    percpu_ops();
    info();
    access_modes();
    batches();
    unprivileged();
    return 0;
}
