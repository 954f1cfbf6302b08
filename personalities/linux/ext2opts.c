/*
 * personalities/linux/ext2opts.c - the options an ext2 mount takes in
 * mount(2)'s data, as the ext4 driver that mounts ext2 on Linux takes
 * them, and what /proc/mounts shows of them.  Kept and shown: errors=
 * (continue, remount-ro, panic; shown when not the superblock's own),
 * resuid= and resgid=, grpid (bsdgroups) and nogrpid (sysvgroups),
 * minixdf and bsddf (statfs's f_blocks with or without the layout's
 * blocks), noblock_validity, discard, nobarrier (barrier=0),
 * noauto_da_alloc and their opposites, nouid32, debug, quota, usrquota,
 * grpquota and noquota, inode_readahead_blks= (a power of 2 up to 2^30;
 * shown when not 32).  Taken and not shown, as ext4 takes them: acl,
 * user_xattr, sb=1, and the ones it ignores (oldalloc, orlov, bh, nobh,
 * check=none, nocheck, reservation, noreservation).  The superblock
 * flags' words (ro, rw, sync, dirsync, mand, lazytime and their
 * opposites) set those flags, as Linux's vfs_parse_sb_flag.  Anything else is EINVAL, ext4-only ones too
 * (journal and data= options, delalloc, dax ...).  Of what is kept, only
 * minixdf and ro change what a call sees: the others are shown, not
 * acted on.
 *
 * Entry points: ext2_options_parse, ext2_option_ok (fsconfig's one),
 * ext2_options_apply (ext2.h).
 * Callers: ext2.c (mount), mount.c (a remount).  Layer: the file
 * system's.  Book: docs/linux.md, "ext2 on a loop device".
 */
#include "ext2.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ignored[] = {"acl", "user_xattr", "sb=1", "oldalloc", "orlov", "bh", "nobh", "check=none",
                                      "nocheck", "reservation", "noreservation", "i_version", "nombcache",
                                      "no_mbcache", "init_itable", "noinit_itable", "prefetch_block_bitmaps",
                                      "no_prefetch_block_bitmaps"};
/* Numbers taken and not acted on (stripe=, the batch times ...). */
static const char *const ignored_numbers[] = {"stripe=", "max_dir_size_kb=", "min_batch_time=", "max_batch_time=",
                                              "init_itable=", "auto_da_alloc="};

/* A number option's value, a u32 in any base as fs_parse's fsparam_u32
 * reads it (kstrtouint base 0: 0x10, 010): -1 if not one. */
static int64_t number(const char *s)
{
    char *end;
    if (*s == '-' || *s == '+' || !*s)
        return -1;
    unsigned long long v = strtoull(s, &end, 0);
    return !*end && v <= UINT32_MAX ? (int64_t)v : -1;
}

int ext2_options_parse(const char *data, struct ext2_opts *o)
{
    memset(o, -1, sizeof *o);
    o->sb_set = o->sb_clear = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", data ? data : "");
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        bool done = false;
        int64_t v;
        for (size_t i = 0; i < sizeof ignored / sizeof *ignored && !done; i++)
            done = !strcmp(t, ignored[i]);
        struct { const char *name; int8_t *field; int8_t v; } kept[] = {
            {"grpid", &o->grpid, 1}, {"bsdgroups", &o->grpid, 1}, {"nogrpid", &o->grpid, 0},
            {"sysvgroups", &o->grpid, 0}, {"minixdf", &o->minixdf, 1}, {"bsddf", &o->minixdf, 0},
            {"nouid32", &o->nouid32, 1}, {"debug", &o->debug, 1}, {"quota", &o->usrquota, 1},
            {"usrquota", &o->usrquota, 1}, {"grpquota", &o->grpquota, 1}, {"errors=continue", &o->errors, 1},
            {"errors=remount-ro", &o->errors, 2}, {"errors=panic", &o->errors, 3}, {"barrier", &o->nobarrier, 0},
            {"nobarrier", &o->nobarrier, 1}, {"discard", &o->discard, 1}, {"nodiscard", &o->discard, 0},
            {"auto_da_alloc", &o->noautoda, 0}, {"noauto_da_alloc", &o->noautoda, 1},
            {"block_validity", &o->novalidity, 0}, {"noblock_validity", &o->novalidity, 1}, {"ro", &o->ro, 1},
            {"rw", &o->ro, 0}};
        for (size_t i = 0; i < sizeof kept / sizeof *kept && !done; i++)
            if (!strcmp(t, kept[i].name))
                *kept[i].field = kept[i].v, done = true;
        if (!done && !strcmp(t, "noquota"))
            o->usrquota = o->grpquota = 0, done = true;
        static const struct { const char *name; uint32_t flag; bool set; } sb[] = {
            {"sync", MS_SYNCHRONOUS, true}, {"async", MS_SYNCHRONOUS, false}, {"dirsync", MS_DIRSYNC, true},
            {"mand", MS_MANDLOCK, true}, {"nomand", MS_MANDLOCK, false}, {"lazytime", MS_LAZYTIME, true},
            {"nolazytime", MS_LAZYTIME, false}};
        for (size_t i = 0; i < sizeof sb / sizeof *sb && !done; i++)
            if (!strcmp(t, sb[i].name)) {
                *(sb[i].set ? &o->sb_set : &o->sb_clear) |= sb[i].flag;
                *(sb[i].set ? &o->sb_clear : &o->sb_set) &= ~sb[i].flag;
                done = true;
            }
        if (!done && !strncmp(t, "barrier=", 8) && (v = number(t + 8)) >= 0)
            o->nobarrier = v == 0, done = true;
        if (!done && !strncmp(t, "resuid=", 7) && (v = number(t + 7)) >= 0)
            o->resuid = v, done = true;
        if (!done && !strncmp(t, "resgid=", 7) && (v = number(t + 7)) >= 0)
            o->resgid = v, done = true;
        for (size_t i = 0; i < sizeof ignored_numbers / sizeof *ignored_numbers && !done; i++) {
            size_t k = strlen(ignored_numbers[i]);
            done = !strncmp(t, ignored_numbers[i], k) && number(t + k) >= 0;
        }
        if (!done && !strncmp(t, "inode_readahead_blks=", 21) && (v = number(t + 21)) >= 0 && v <= 1 << 30 &&
            !(v & (v - 1)))
            o->readahead = v, done = true;
        if (!done)
            return -LINUX_EINVAL; /* unknown, or one only ext3 and ext4 take */
    }
    return 0;
}

bool ext2_option_ok(const char *key, const char *value)
{
    char one[256];
    struct ext2_opts o;
    snprintf(one, sizeof one, value ? "%s=%s" : "%s", key, value);
    return !strchr(one, ',') && ext2_options_parse(one, &o) == 0;
}

void ext2_options_apply(struct ext2 *e, const struct ext2_opts *o)
{
    struct ext2_opts *k = &e->opts;
    int8_t *to[] = {&k->grpid, &k->minixdf, &k->nouid32, &k->debug, &k->usrquota, &k->grpquota, &k->errors,
                    &k->nobarrier, &k->discard, &k->noautoda, &k->novalidity};
    const int8_t *from[] = {&o->grpid, &o->minixdf, &o->nouid32, &o->debug, &o->usrquota, &o->grpquota, &o->errors,
                            &o->nobarrier, &o->discard, &o->noautoda, &o->novalidity};
    for (size_t i = 0; i < sizeof to / sizeof *to; i++)
        if (*from[i] >= 0)
            *to[i] = *from[i];
    k->resuid = o->resuid >= 0 ? o->resuid : k->resuid;
    k->resgid = o->resgid >= 0 ? o->resgid : k->resgid;
    k->readahead = o->readahead >= 0 ? o->readahead : k->readahead;
    e->fs.sb_flags = (e->fs.sb_flags | o->sb_set) & ~o->sb_clear;
    e->fs.grpid = k->grpid > 0; /* new inodes take their directory's group (fs.c) */
    /* shown as ext4's _ext4_show_options orders them */
    char *s = e->fs.opts;
    size_t n = sizeof e->fs.opts, at = 0;
    const struct ext2_super_block *sb = &e->sb;
    at += (size_t)snprintf(s + at, n - at, "%s%s%s%s%s%s%s%s%s%s", k->minixdf > 0 ? ",minixdf" : "",
                           k->grpid > 0 ? ",grpid" : "", k->novalidity > 0 ? ",noblock_validity" : "",
                           k->discard > 0 ? ",discard" : "", k->nobarrier > 0 ? ",nobarrier" : "",
                           k->noautoda > 0 ? ",noauto_da_alloc" : "", k->nouid32 > 0 ? ",nouid32" : "",
                           k->debug > 0 ? ",debug" : "", k->usrquota > 0 ? ",quota,usrquota" : "",
                           k->grpquota > 0 ? ",grpquota" : "");
    if (at < n && ((k->resuid >= 0 && k->resuid != 0) || sb->s_def_resuid))
        at += (size_t)snprintf(s + at, n - at, ",resuid=%lld", (long long)(k->resuid >= 0 ? k->resuid : sb->s_def_resuid));
    if (at < n && ((k->resgid >= 0 && k->resgid != 0) || sb->s_def_resgid))
        at += (size_t)snprintf(s + at, n - at, ",resgid=%lld", (long long)(k->resgid >= 0 ? k->resgid : sb->s_def_resgid));
    static const char *const errors[] = {"", "continue", "remount-ro", "panic"};
    if (at < n && k->errors > 0 && k->errors != sb->s_errors)
        at += (size_t)snprintf(s + at, n - at, ",errors=%s", errors[k->errors]);
    if (at < n && k->readahead >= 0 && k->readahead != 32)
        snprintf(s + at, n - at, ",inode_readahead_blks=%lld", (long long)k->readahead);
}
