/*
 * personalities/linux/bpf.c - the bpf call: its attribute block, the
 * map commands (create, lookup, update, delete, next key, lookup and
 * delete, freeze, information; the batch commands are bpfbatch.c's), BPF_PROG_LOAD of socket filters through the
 * verifier (bpfprog.c, bpfcheck.c), and BPF_PROG_TEST_RUN through the
 * interpreter (bpfvm.c).  A map or a program is the object behind an
 * anonymous descriptor ("anon_inode:bpf-map", "bpf-prog"), close-on-exec.
 * Without CAP_BPF or CAP_SYS_ADMIN every command is EPERM, as Linux's
 * with kernel.unprivileged_bpf_disabled set (Debian's 2).
 *
 * Not built (Linux's errors for what it lacks): map types other than
 * the arrays and hash maps (EINVAL, as a Linux built without them), BTF,
 * offload and tokens (EINVAL), program types other than socket filters
 * (EINVAL), bpf-to-bpf calls and kfuncs, helpers other than the map
 * ones, ktime_get_ns, get_prandom_u32 and get_smp_processor_id (EINVAL),
 * a test run's ctx_in and ctx_out (EINVAL), a program's information
 * (EINVAL), pinning, attaching but to sockets (EINVAL).
 *
 * A socket's filter (SO_ATTACH_BPF, or a classic program of
 * SO_ATTACH_FILTER run by sockfilter.c; sockopt.c) runs over each datagram
 * that reaches it, AF_UNIX's (the data alone) and UDP's (its header and
 * the data, as Linux's udp_queue_rcv_skb sees them): 0 drops it, a
 * smaller length cuts it, never below the header.
 *
 * Entry points: sys_bpf; bpf_sock_* (socket.h).  Layer: above file.h.  Book: docs/linux.md, "eBPF".
 */
#include "proc.h"
#include "file.h"
#include "bpf.h"
#include "socket.h"
#include "time.h"
#include "linux_entries/bpf.h" /* generated: the handler's prototype, its entry */
#include <stdlib.h>
#include <string.h>

#define ATTR_SIZE 160  /* the union bpf_attr this server reads: fields past it must be zero */
#define PAGE 4096
#define ETH_HLEN 14
#define CAP_PERFMON 38
#define CAP_BPF 39
#define MAP_INFO_SIZE 88 /* struct bpf_map_info */

struct elem_attr { /* BPF_MAP_*_ELEM, GET_NEXT_KEY */
    uint32_t map_fd, pad;
    uint64_t key, value, flags;
};
struct load_attr { /* BPF_PROG_LOAD, as far as this server reads it */
    uint32_t prog_type, insn_cnt;
    uint64_t insns, license;
    uint32_t log_level, log_size;
    uint64_t log_buf;
    uint32_t kern_version, prog_flags;
    char prog_name[BPF_OBJ_NAME_LEN];
    uint32_t prog_ifindex, expected_attach_type;
};
struct test_attr { /* BPF_PROG_TEST_RUN */
    uint32_t prog_fd, retval, data_size_in, data_size_out;
    uint64_t data_in, data_out;
    uint32_t repeat, duration, ctx_size_in, ctx_size_out;
    uint64_t ctx_in, ctx_out;
    uint32_t flags, cpu, batch_size;
};
struct info_attr {
    uint32_t bpf_fd, info_len;
    uint64_t info;
};

static void map_release(struct file *f) { bpf_map_put((struct bpf_map *)f->bpf); }
static void prog_release(struct file *f);
static int64_t bpf_rw(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_EINVAL; /* Linux's bpf_dummy_read and _write */
}
static const struct file_ops map_fops = {.read = bpf_rw, .write = bpf_rw, .release = map_release,
                                         .stat = anon_inode_stat, .fs = &anon_inodefs, .stream = true};
static const struct file_ops prog_fops = {.read = bpf_rw, .write = bpf_rw, .release = prog_release,
                                          .stat = anon_inode_stat, .fs = &anon_inodefs, .stream = true};

static void prog_put(struct bpf_prog *p)
{
    if (!p || --p->refs > 0)
        return;
    for (int k = 0; k < p->nmaps; k++)
        bpf_map_put(p->maps[k]);
    free(p->insns);
    free(p->classic);
    free(p);
}
static void prog_release(struct file *f) { prog_put((struct bpf_prog *)f->bpf); }

static int64_t new_fd(struct proc *p, const struct file_ops *ops, enum file_kind kind, int flags, void *obj)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = ops, .kind = kind, .flags = flags, .refs = 1, .bpf = obj};
    int fd = fd_alloc(p, 0, f, true);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* The object behind descriptor fd if it is one of kind's: EBADF for no
 * descriptor, EINVAL for another file. */
static struct file *bpf_file(struct proc *p, uint32_t fd, const struct file_ops *ops, int *err)
{
    struct file *f = fd_file(p, fd);
    *err = !f ? -LINUX_EBADF : f->ops != ops ? -LINUX_EINVAL : 0;
    return *err ? NULL : f;
}

/* Bytes [from, ATTR_SIZE) of attr zero (Linux's CHECK_ATTR): else EINVAL. */
static bool tail_zero(const uint8_t *attr, size_t from)
{
    for (size_t k = from; k < ATTR_SIZE; k++)
        if (attr[k])
            return false;
    return true;
}

/* ---- maps ---- */

static int64_t map_create(struct sys_ctx *c, const uint8_t *attr)
{
    struct map_create_attr a;
    memcpy(&a, attr, sizeof a);
    if (!tail_zero(attr, sizeof a)) /* BTF, offload, map_extra, tokens: none here */
        return -LINUX_EINVAL;
    if ((a.map_flags & BPF_F_RDONLY) && (a.map_flags & BPF_F_WRONLY))
        return -LINUX_EINVAL;
    if ((a.map_flags & BPF_F_ZERO_SEED) && !cred_capable(&c->p->cred, CAP_SYS_ADMIN) &&
        (a.map_type == BPF_MAP_TYPE_HASH || a.map_type == BPF_MAP_TYPE_PERCPU_HASH ||
         a.map_type == BPF_MAP_TYPE_LRU_HASH || a.map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH))
        return -LINUX_EPERM;
    struct bpf_map *m;
    int r = bpf_map_new(&a, &m);
    if (r < 0)
        return r;
    int mode = (a.map_flags & BPF_F_RDONLY) ? O_RDONLY : (a.map_flags & BPF_F_WRONLY) ? O_WRONLY : O_RDWR;
    int64_t fd = new_fd(c->p, &map_fops, FILE_BPF_MAP, mode, m);
    if (fd < 0)
        bpf_map_put(m);
    return fd;
}

/* A map command's map, if the descriptor was opened for what it needs. */
struct bpf_map *bpf_map_for(struct sys_ctx *c, uint32_t fd, bool read, bool write, int *err)
{
    struct file *f = bpf_file(c->p, fd, &map_fops, err);
    if (!f)
        return NULL;
    int acc = f->flags & O_ACCMODE;
    if ((read && acc == O_WRONLY) || (write && (acc == O_RDONLY || ((struct bpf_map *)f->bpf)->frozen))) {
        *err = -LINUX_EPERM;
        return NULL;
    }
    return f->bpf;
}

/* The n bytes at u into a new buffer: NULL with *err -EFAULT or -ENOMEM. */
static void *copy_in_p(struct proc *p, uint64_t u, size_t n, int *err)
{
    void *b = malloc(n ? n : 1);
    *err = !b ? -LINUX_ENOMEM : mem_in(p, b, u, n) < 0 ? -LINUX_EFAULT : 0;
    if (*err) {
        free(b);
        return NULL;
    }
    return b;
}
static void *copy_in(struct sys_ctx *c, uint64_t u, size_t n, int *err) { return copy_in_p(c->p, u, n, err); }

/* value (the map's) out to user memory: a per-CPU map's padded to 8. */
int bpf_value_out(struct sys_ctx *c, const struct bpf_map *m, uint64_t u, const void *value)
{
    uint32_t n = bpf_map_user_value(m);
    uint8_t *b = calloc(1, n);
    if (!b)
        return -LINUX_ENOMEM;
    memcpy(b, value, m->value_size);
    int r = mem_out(c->p, u, b, n) < 0 ? -LINUX_EFAULT : 0;
    free(b);
    return r;
}

static int64_t map_elem(struct sys_ctx *c, int cmd, const uint8_t *attr)
{
    struct elem_attr a;
    memcpy(&a, attr, sizeof a);
    size_t end = cmd == BPF_MAP_GET_NEXT_KEY ? 24 : 32;
    if (!tail_zero(attr, end))
        return -LINUX_EINVAL;
    if ((cmd == BPF_MAP_LOOKUP_ELEM || cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM) && (a.flags & ~(uint64_t)BPF_F_LOCK))
        return -LINUX_EINVAL;
    bool rd = cmd != BPF_MAP_UPDATE_ELEM && cmd != BPF_MAP_DELETE_ELEM;
    bool wr = cmd != BPF_MAP_LOOKUP_ELEM && cmd != BPF_MAP_GET_NEXT_KEY;
    int err;
    struct bpf_map *m = bpf_map_for(c, a.map_fd, rd, wr, &err);
    if (!m)
        return err;
    if ((a.flags & BPF_F_LOCK) && cmd != BPF_MAP_DELETE_ELEM && cmd != BPF_MAP_GET_NEXT_KEY)
        return -LINUX_EINVAL; /* no map here has a spin lock */
    void *key = cmd == BPF_MAP_GET_NEXT_KEY && !a.key ? NULL : copy_in(c, a.key, m->key_size, &err);
    if (!key && (cmd != BPF_MAP_GET_NEXT_KEY || a.key))
        return err;
    int64_t r = 0;
    if (cmd == BPF_MAP_UPDATE_ELEM) {
        void *v = copy_in(c, a.value, bpf_map_user_value(m), &err);
        r = v ? bpf_map_update(m, key, v, a.flags) : err;
        free(v);
    } else if (cmd == BPF_MAP_DELETE_ELEM) {
        r = bpf_map_delete(m, key);
    } else if (cmd == BPF_MAP_GET_NEXT_KEY) {
        void *next = malloc(m->key_size);
        r = !next ? -LINUX_ENOMEM : bpf_map_next_key(m, key, next);
        if (!r && mem_out(c->p, a.value, next, m->key_size) < 0)
            r = -LINUX_EFAULT;
        free(next);
    } else if (cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM && !m->hash) {
        r = -LINUX_ENOTSUPP;
    } else {
        void *v = bpf_map_lookup(m, key);
        r = !v ? -LINUX_ENOENT : bpf_value_out(c, m, a.value, v);
        if (!r && cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM)
            bpf_map_delete(m, key);
    }
    free(key);
    return r;
}

/* BPF_MAP_FREEZE: the calls may no longer change the map (EPERM). */
static int64_t map_freeze(struct sys_ctx *c, const uint8_t *attr)
{
    uint32_t fd;
    memcpy(&fd, attr, 4);
    if (!tail_zero(attr, 4))
        return -LINUX_EINVAL;
    int err;
    struct bpf_map *m = bpf_map_for(c, fd, false, true, &err); /* frozen already: EPERM, as Linux's */
    if (!m)
        return err;
    m->frozen = true;
    return 0;
}

static int64_t map_info(struct sys_ctx *c, const struct bpf_map *m, const struct info_attr *a, uint64_t uattr)
{
    uint32_t len = a->info_len;
    for (uint64_t off = MAP_INFO_SIZE; off < len && off < PAGE; off++) {
        uint8_t b;
        if (mem_in(c->p, &b, a->info + off, 1) < 0)
            return -LINUX_EFAULT;
        if (b)
            return -LINUX_E2BIG;
    }
    if (len > PAGE)
        return -LINUX_E2BIG;
    len = len < MAP_INFO_SIZE ? len : MAP_INFO_SIZE;
    uint32_t info[MAP_INFO_SIZE / 4] = {m->type, m->id, m->key_size, m->value_size, m->max_entries, m->flags};
    memcpy(&info[6], m->name, BPF_OBJ_NAME_LEN);
    if (mem_out(c->p, a->info, info, len) < 0 || mem_out(c->p, uattr + 4, &len, 4) < 0)
        return -LINUX_EFAULT;
    return 0;
}

static int64_t obj_info(struct sys_ctx *c, const uint8_t *attr, uint64_t uattr)
{
    struct info_attr a;
    memcpy(&a, attr, sizeof a);
    if (!tail_zero(attr, sizeof a))
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, a.bpf_fd);
    if (!f)
        return -LINUX_EBADFD;
    if (f->ops != &map_fops)
        return -LINUX_EINVAL; /* a program's information is not built */
    return map_info(c, f->bpf, &a, uattr);
}

/* ---- programs ---- */

static int resolve_map(void *ctx, int fd, struct bpf_map **m)
{
    int err;
    struct file *f = fd < 0 ? NULL : bpf_file(ctx, (uint32_t)fd, &map_fops, &err);
    if (fd < 0)
        return -LINUX_EBADF;
    if (!f)
        return err;
    *m = f->bpf;
    (*m)->refs++;
    return 0;
}

#define PROG_FLAGS_KNOWN (BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_RND_HI32 | 8u /* TEST_STATE_FREQ */)

/* The checks before the verifier, in Linux's order; 0 or -errno. */
static int load_checks(const struct load_attr *a, const uint8_t *attr)
{
    if (!tail_zero(attr, sizeof *a) || a->prog_ifindex) /* BTF, func and line info, attaching, offload, tokens */
        return -LINUX_EINVAL;
    if (a->prog_flags & ~PROG_FLAGS_KNOWN)
        return -LINUX_EINVAL;
    if (a->insn_cnt == 0 || a->insn_cnt > BPF_COMPLEXITY_LIMIT_INSNS)
        return -LINUX_E2BIG;
    if (a->prog_type != BPF_PROG_TYPE_SOCKET_FILTER)
        return -LINUX_EINVAL; /* a program type not built here: as a Linux built without it */
    if (!bpf_name_ok(a->prog_name))
        return -LINUX_EINVAL;
    /* Linux's bpf_verifier_log_attr_valid */
    if (!a->log_buf != !a->log_size || (a->log_buf && !a->log_level) || (a->log_level & ~7u) ||
        a->log_size > (UINT32_MAX >> 2))
        return -LINUX_EINVAL;
    return 0;
}

static int64_t prog_load(struct sys_ctx *c, const uint8_t *attr, uint64_t uattr, uint32_t size)
{
    struct load_attr a;
    memcpy(&a, attr, sizeof a);
    int r = load_checks(&a, attr), err;
    if (r < 0)
        return r;
    char license[128];
    struct bpf_prog *p = calloc(1, sizeof *p);
    if (!p)
        return -LINUX_ENOMEM;
    *p = (struct bpf_prog){.refs = 1, .type = a.prog_type, .len = a.insn_cnt};
    memcpy(p->name, a.prog_name, BPF_OBJ_NAME_LEN);
    p->insns = copy_in(c, a.insns, (size_t)a.insn_cnt * sizeof *p->insns, &err);
    if (p->insns && mem_str(c->p, a.license, license, sizeof license) == -LINUX_EFAULT) /* longer: cut */
        err = -LINUX_EFAULT;
    if (!p->insns || err) {
        prog_put(p);
        return err;
    }
    struct bpf_log log = {.size = a.log_size};
    if (a.log_buf && !(log.buf = calloc(1, a.log_size))) {
        prog_put(p);
        return -LINUX_ENOMEM;
    }
    bool priv = cred_capable(&c->p->cred, CAP_PERFMON) || cred_capable(&c->p->cred, CAP_SYS_ADMIN);
    struct bpf_resolver res = {.map_of = resolve_map, .ctx = c->p};
    r = bpf_verify(p, &log, priv, &res);
    if (log.buf) {
        uint32_t true_size = log.want + 1;
        if (mem_out(c->p, a.log_buf, log.buf, log.len + 1) < 0)
            r = -LINUX_EFAULT;
        else if (!r && log.want >= log.size)
            r = -LINUX_ENOSPC; /* the log did not fit */
        if (size >= 144)
            mem_out(c->p, uattr + 140, &true_size, 4); /* log_true_size */
        free(log.buf);
    }
    int64_t fd = r < 0 ? r : new_fd(c->p, &prog_fops, FILE_BPF_PROG, O_RDWR, p);
    if (fd < 0)
        prog_put(p);
    return fd;
}

/* The socket-buffer fields Linux's eth_type_trans sets for a test run's
 * frame of n bytes on the loopback device. */
static void frame_skb(struct bpf_packet *pkt, const uint8_t *frame, uint32_t n)
{
    memset(&pkt->skb, 0, sizeof pkt->skb);
    pkt->data = frame + ETH_HLEN;
    pkt->skb.len = n - ETH_HLEN;
    uint16_t proto = (uint16_t)(frame[12] << 8 | frame[13]);
    if (proto < 0x600) /* an 802.3 length: raw IPX or 802.2 */
        proto = n >= ETH_HLEN + 2 && frame[14] == 0xff && frame[15] == 0xff ? 1 : 4;
    pkt->skb.protocol = __builtin_bswap16(proto);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
    pkt->skb.pkt_type = (frame[0] & 1) ? (memcmp(frame, bcast, 6) ? 2 : 1) : memcmp(frame, zero, 6) ? 3 : 0;
    pkt->skb.ifindex = 1;
}

static int64_t prog_test_run(struct sys_ctx *c, const uint8_t *attr, uint64_t uattr)
{
    struct test_attr a;
    memcpy(&a, attr, sizeof a);
    if (!tail_zero(attr, 76) || !a.ctx_size_in != !a.ctx_in || !a.ctx_size_out != !a.ctx_out)
        return -LINUX_EINVAL;
    int err;
    struct file *f = bpf_file(c->p, a.prog_fd, &prog_fops, &err);
    if (!f)
        return err;
    if (a.flags || a.cpu || a.batch_size || a.ctx_in || a.ctx_out) /* a context in or out: not built */
        return -LINUX_EINVAL;
    if (a.data_size_in < ETH_HLEN || a.data_size_in > PAGE - 64 - 320) /* headroom, skb_shared_info */
        return -LINUX_EINVAL;
    uint8_t *frame = copy_in(c, a.data_in, a.data_size_in, &err);
    if (!frame)
        return err;
    uint16_t proto = (uint16_t)(frame[12] << 8 | frame[13]);
    if ((proto == 0x0800 && a.data_size_in < ETH_HLEN + 20) || (proto == 0x86dd && a.data_size_in < ETH_HLEN + 40)) {
        free(frame); /* an IP frame too short for its header (Linux 6.18's test run) */
        return -LINUX_EINVAL;
    }
    struct bpf_packet pkt;
    uint64_t t0 = clock_now(), ret = 0;
    for (uint32_t k = 0; k < (a.repeat ? a.repeat : 1); k++) {
        frame_skb(&pkt, frame, a.data_size_in);
        ret = bpf_prog_run(f->bpf, &pkt);
    }
    uint32_t n = a.data_size_in, duration = (uint32_t)((clock_now() - t0) / (a.repeat ? a.repeat : 1));
    int64_t r = 0;
    memset(frame, 0, ETH_HLEN); /* the link-level header comes back zeroed, as Linux's for a non-L2 program */
    if (a.data_out) {
        uint32_t copy = a.data_size_out && n > a.data_size_out ? a.data_size_out : n;
        r = copy < n ? -LINUX_ENOSPC : 0;
        if (mem_out(c->p, a.data_out, frame, copy) < 0)
            r = -LINUX_EFAULT;
    }
    uint32_t ret32 = (uint32_t)ret;
    if (mem_out(c->p, uattr + 12, &n, 4) < 0 || mem_out(c->p, uattr + 4, &ret32, 4) < 0 ||
        mem_out(c->p, uattr + 36, &duration, 4) < 0)
        r = -LINUX_EFAULT;
    free(frame);
    return r;
}

/* ---- socket filters ---- */

int64_t bpf_sock_attach(struct proc *p, struct sock *k, int fd)
{
    int err;
    struct file *f = fd < 0 ? NULL : bpf_file(p, (uint32_t)fd, &prog_fops, &err);
    if (!f)
        return fd < 0 ? -LINUX_EBADF : err;
    struct bpf_prog *prog = f->bpf;
    prog->refs++;
    prog_put(k->filter);
    k->filter = prog;
    return 0;
}

int64_t bpf_sock_attach_classic(struct proc *p, struct sock *k, uint64_t uoptval, int optlen)
{
    struct {
        uint16_t len;
        uint64_t filter;
    } fprog;
    _Static_assert(sizeof fprog == 16, "struct sock_fprog");
    if (optlen != (int)sizeof fprog)
        return -LINUX_EINVAL;
    if (mem_in(p, &fprog, uoptval, sizeof fprog) < 0)
        return -LINUX_EFAULT;
    if (!fprog.filter || !fprog.len || fprog.len > BPF_MAXINSNS)
        return -LINUX_EINVAL;
    int err;
    struct bpf_prog *prog = calloc(1, sizeof *prog);
    if (!prog)
        return -LINUX_ENOMEM;
    *prog = (struct bpf_prog){.refs = 1, .len = fprog.len};
    prog->classic = copy_in_p(p, fprog.filter, (size_t)fprog.len * 8, &err);
    if (prog->classic && !cbpf_check(prog->classic, fprog.len))
        err = -LINUX_EINVAL;
    if (!prog->classic || err) {
        prog_put(prog);
        return err;
    }
    prog_put(k->filter);
    k->filter = prog;
    return 0;
}

int64_t bpf_sock_detach(struct sock *k)
{
    if (!k->filter)
        return -LINUX_ENOENT;
    prog_put(k->filter);
    k->filter = NULL;
    return 0;
}

void bpf_sock_release(struct sock *k) { bpf_sock_detach(k); }

uint64_t bpf_sock_filter(const struct sock *k, const uint8_t *data, uint64_t n, uint16_t proto, uint64_t cap)
{
    struct bpf_packet pkt = {.data = data};
    pkt.skb.len = (uint32_t)n, pkt.skb.protocol = __builtin_bswap16(proto);
    uint32_t keep = k->filter->classic ? cbpf_run(k->filter->classic, &pkt) : (uint32_t)bpf_prog_run(k->filter, &pkt);
    if (!keep)
        return UINT64_MAX;
    return keep > n ? n : keep < cap ? cap : keep;
}

static int64_t sys_bpf(struct sys_ctx *c, int cmd, uint64_t uattr, uint32_t size)
{
    if (!cred_capable(&c->p->cred, CAP_BPF) && !cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM; /* kernel.unprivileged_bpf_disabled */
    if (size > PAGE)
        return -LINUX_E2BIG;
    for (uint64_t off = ATTR_SIZE; off < size; off++) {
        uint8_t b;
        if (mem_in(c->p, &b, uattr + off, 1) < 0)
            return -LINUX_EFAULT;
        if (b)
            return -LINUX_E2BIG;
    }
    uint8_t attr[ATTR_SIZE] __attribute__((aligned(8))) = {0};
    if (mem_in(c->p, attr, uattr, size < ATTR_SIZE ? size : ATTR_SIZE) < 0)
        return -LINUX_EFAULT;
    switch (cmd) {
    case BPF_MAP_CREATE: return map_create(c, attr);
    case BPF_MAP_LOOKUP_ELEM:
    case BPF_MAP_UPDATE_ELEM:
    case BPF_MAP_DELETE_ELEM:
    case BPF_MAP_GET_NEXT_KEY:
    case BPF_MAP_LOOKUP_AND_DELETE_ELEM: return map_elem(c, cmd, attr);
    case BPF_MAP_FREEZE: return map_freeze(c, attr);
    case BPF_MAP_LOOKUP_BATCH:
    case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
    case BPF_MAP_UPDATE_BATCH:
    case BPF_MAP_DELETE_BATCH: return bpf_map_batch(c, cmd, attr, uattr);
    case BPF_PROG_LOAD: return prog_load(c, attr, uattr, size);
    case BPF_PROG_TEST_RUN: return prog_test_run(c, attr, uattr);
    case BPF_OBJ_GET_INFO_BY_FD: return obj_info(c, attr, uattr);
    default: return -LINUX_EINVAL;
    }
}
