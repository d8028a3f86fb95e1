// SPDX-License-Identifier: BSD-2-Clause
/*
 * devbpf.c: a jail's device list (devctl.c) as cgroup2 enforces it: a
 * BPF_CGROUP_DEVICE program, the same for every jail, that looks the
 * device up in a hash map holding the list.
 *
 * The program is loaded and attached once, with the jail's first list;
 * every list after it (the jail's own once init has built the root, one
 * devfs(8) changed) is written into the map, where the kernel's verifier
 * need not see it: a list compiled into instructions was a new program
 * at every change, which took the verifier longer the longer the list
 * was (0.7 ms for a default jail's, on every jail -c).
 *
 * Key: the device's type (BPF_DEVCG_DEV_*), major and minor, ANY for a
 * rule of any major or minor; value: the accesses the rule allows
 * (BPF_DEVCG_ACC_*).  An access is allowed when one of the four keys
 * that can name its device allows all of it; nothing else is.  The map
 * is read-only to the program and reachable only through bpf(2), which
 * no jail can call; devbpf_set finds it again from the program attached
 * to the jail's cgroup.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "devctl-int.h"

#define KEY_ANY UINT32_MAX
#define MAP_MIN 64		/* entries at least; twice the list's else */
#define PROG_LEN 64		/* prog_build's instructions */

struct dev_key {
	uint32_t type, major, minor;
};

/* ---- the program ------------------------------------------------------ */

static struct bpf_insn
insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst,
		.src_reg = src, .off = off, .imm = imm };
}

#define CTX(o) ((int16_t)offsetof(struct bpf_cgroup_dev_ctx, o))
#define LDX_W(d, s, o) insn(BPF_LDX | BPF_W | BPF_MEM, d, s, o, 0)
#define STX_W(d, s, o) insn(BPF_STX | BPF_W | BPF_MEM, d, s, o, 0)
#define ST_W(d, o, k) insn(BPF_ST | BPF_W | BPF_MEM, d, 0, o, k)
#define ALU_K(op, d, k) insn(BPF_ALU64 | (op) | BPF_K, d, 0, 0, k)
#define ALU_X(op, d, s) insn(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define JMP_K(op, d, k, off) insn(BPF_JMP | (op) | BPF_K, d, 0, off, k)
#define CALL(f) insn(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT() insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* The key on the stack, from r10: type, major, minor. */
#define K_TYPE (-16)
#define K_MAJOR (-12)
#define K_MINOR (-8)

/*
 * Look the key up; return 1 if its value allows all of the access asked
 * (r8), else go on past the block.
 */
static size_t
emit_lookup(struct bpf_insn *p, int mapfd)
{
	size_t n = 0;

	p[n++] = insn(BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, mapfd);
	p[n++] = insn(0, 0, 0, 0, 0);
	p[n++] = ALU_X(BPF_MOV, 2, 10);
	p[n++] = ALU_K(BPF_ADD, 2, K_TYPE);
	p[n++] = CALL(BPF_FUNC_map_lookup_elem);
	p[n++] = JMP_K(BPF_JEQ, 0, 0, 6);
	p[n++] = LDX_W(1, 0, 0);
	p[n++] = ALU_K(BPF_XOR, 1, -1);		/* what it does not allow */
	p[n++] = ALU_X(BPF_AND, 1, 8);		/* ... of what is asked */
	p[n++] = JMP_K(BPF_JNE, 1, 0, 2);
	p[n++] = ALU_K(BPF_MOV, 0, 1);
	p[n++] = EXIT();
	return n;
}

/* The program over map mapfd, into p (PROG_LEN); its length. */
static size_t
prog_build(struct bpf_insn *p, int mapfd)
{
	size_t n = 0;

	p[n++] = ALU_X(BPF_MOV, 6, 1);
	p[n++] = LDX_W(7, 6, CTX(access_type));
	p[n++] = ALU_X(BPF_MOV, 8, 7);
	p[n++] = ALU_K(BPF_RSH, 8, 16);		/* r8: BPF_DEVCG_ACC_* */
	p[n++] = ALU_K(BPF_AND, 7, 0xffff);	/* r7: BPF_DEVCG_DEV_* */
	p[n++] = STX_W(10, 7, K_TYPE);
	p[n++] = LDX_W(1, 6, CTX(major));
	p[n++] = STX_W(10, 1, K_MAJOR);
	p[n++] = LDX_W(1, 6, CTX(minor));
	p[n++] = STX_W(10, 1, K_MINOR);
	n += emit_lookup(p + n, mapfd);			/* the device */
	p[n++] = ST_W(10, K_MINOR, -1);
	n += emit_lookup(p + n, mapfd);			/* any minor */
	p[n++] = ST_W(10, K_MAJOR, -1);
	n += emit_lookup(p + n, mapfd);			/* any device */
	p[n++] = LDX_W(1, 6, CTX(minor));
	p[n++] = STX_W(10, 1, K_MINOR);
	n += emit_lookup(p + n, mapfd);			/* any major */
	p[n++] = ALU_K(BPF_MOV, 0, 0);
	p[n++] = EXIT();
	return n;
}

/* ---- the map ---------------------------------------------------------- */

static struct dev_key
key_of(const struct dev_rule *r)
{
	return (struct dev_key){
		r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK,
		r->major == DEV_ANY ? KEY_ANY : (uint32_t)r->major,
		r->minor == DEV_ANY ? KEY_ANY : (uint32_t)r->minor };
}

static int
map_create(size_t entries)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = sizeof(struct dev_key);
	a.value_size = sizeof(uint32_t);
	a.max_entries = (uint32_t)entries;
	a.map_flags = BPF_F_NO_PREALLOC | BPF_F_RDONLY_PROG;
	(void)strncpy(a.map_name, "jail_devices", sizeof(a.map_name) - 1);
	return cg_bpf_call(BPF_MAP_CREATE, &a);
}

/* Write key's value, or take key out (BPF_MAP_DELETE_ELEM, value NULL). */
static int
map_op(int cmd, int mapfd, const void *key, const void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)mapfd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = cmd == BPF_MAP_UPDATE_ELEM ? BPF_ANY : 0;
	return cg_bpf_call(cmd, &a);
}

/* The key after key (NULL: the first) into *next; -ENOENT past the last. */
static int
map_next(int mapfd, const struct dev_key *key, struct dev_key *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)mapfd;
	a.key = (uint64_t)(uintptr_t)key;
	a.next_key = (uint64_t)(uintptr_t)next;
	return cg_bpf_call(BPF_MAP_GET_NEXT_KEY, &a);
}

static bool
list_has(const struct dev_list *l, const struct dev_key *k)
{
	for (size_t i = 0; i < l->n; i++) {
		struct dev_key x = key_of(&l->v[i]);

		if (memcmp(&x, k, sizeof(x)) == 0)
			return true;
	}
	return false;
}

/* Write every rule of l into the map. */
static int
map_write(int mapfd, const struct dev_list *l)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < l->n; i++) {
		struct dev_key k = key_of(&l->v[i]);
		uint32_t acc = l->v[i].acc;

		r = map_op(BPF_MAP_UPDATE_ELEM, mapfd, &k, &acc);
	}
	return r;
}

/*
 * Make the map hold l: every rule of l written first, then what l does
 * not have taken out, so that a jail never loses a device it keeps.
 */
static int
map_fill(int mapfd, const struct dev_list *l)
{
	struct dev_key k, next, *stale = NULL;
	size_t n = 0, cap = 0;
	int r = map_write(mapfd, l);

	for (const struct dev_key *at = NULL; r >= 0 &&
	    map_next(mapfd, at, &next) == 0; at = &k) {
		k = next;
		if (list_has(l, &k))
			continue;
		if (n == cap) {
			struct dev_key *v = reallocarray(stale, cap + 16,
			    sizeof(*v));

			if (v == NULL) {
				r = -ENOMEM;
				break;
			}
			stale = v;
			cap += 16;
		}
		stale[n++] = k;
	}
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = map_op(BPF_MAP_DELETE_ELEM, mapfd, &stale[i], NULL);
	free(stale);
	return r == -ENOENT ? 0 : r;
}

/* What the kernel says of BPF object fd, into info (len bytes, zeroed). */
static int
obj_info(int fd, void *info, size_t len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = (uint32_t)len;
	a.info.info = (uint64_t)(uintptr_t)info;
	return cg_bpf_call(BPF_OBJ_GET_INFO_BY_FD, &a);
}

/* The descriptor of the BPF object whose id is id: a program or a map. */
static int
obj_by_id(int cmd, uint32_t id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	if (cmd == BPF_PROG_GET_FD_BY_ID)
		a.prog_id = id;
	else
		a.map_id = id;
	return cg_bpf_call(cmd, &a);
}

/*
 * The map of device program prog_id; -ENOENT when it has none that is
 * this file's (no program, or one an older gaol compiled its list into).
 */
static int
map_find(uint32_t prog_id)
{
	_cleanup_close_ int progfd = -1, mapfd = -1;
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	uint32_t map_id = 0;
	int r;

	if (prog_id == 0)
		return -ENOENT;
	if ((progfd = obj_by_id(BPF_PROG_GET_FD_BY_ID, prog_id)) < 0)
		return progfd;
	memset(&pi, 0, sizeof(pi));
	pi.nr_map_ids = 1;
	pi.map_ids = (uint64_t)(uintptr_t)&map_id;
	if ((r = obj_info(progfd, &pi, sizeof(pi))) < 0)
		return r;
	if (pi.nr_map_ids != 1)
		return -ENOENT;
	if ((mapfd = obj_by_id(BPF_MAP_GET_FD_BY_ID, map_id)) < 0)
		return mapfd;
	memset(&mi, 0, sizeof(mi));
	if ((r = obj_info(mapfd, &mi, sizeof(mi))) < 0)
		return r;
	if (mi.type != BPF_MAP_TYPE_HASH ||
	    mi.key_size != sizeof(struct dev_key) ||
	    mi.value_size != sizeof(uint32_t))
		return -ENOENT;
	return TAKE_FD(mapfd);
}

/* A new map holding l, its program, attached to cgfd in place of any. */
static int
install(int cgfd, const struct dev_list *l)
{
	_cleanup_close_ int mapfd = -1, progfd = -1;
	struct bpf_insn p[PROG_LEN];
	char log[512] = "";
	size_t n;
	int r;

	mapfd = map_create(l->n * 2 > MAP_MIN ? l->n * 2 : MAP_MIN);
	if (mapfd < 0)
		return jail_syserr(mapfd, "devices: make the device map");
	r = map_write(mapfd, l);	/* a new map: nothing to take out */
	if (r < 0)
		return jail_syserr(r, "devices: fill the device map");
	n = prog_build(p, mapfd);
	assert(n <= PROG_LEN);
	progfd = cg_bpf_load(BPF_PROG_TYPE_CGROUP_DEVICE, 0, p, n, log,
	    sizeof(log));
	if (progfd < 0)
		return jail_syserr(-errno, "devices: load the device "
		    "program%s%s", log[0] != '\0' ? ": " : "", log);
	r = cg_bpf_attach(cgfd, progfd, BPF_CGROUP_DEVICE);
	if (r < 0)
		return jail_syserr(r, "devices: attach the device program to "
		    "the jail's cgroup");
	return 0;
}

/*
 * Give cgroup cgfd device list l: into the map of prog_id, the device
 * program attached to it (cg_bpf_count), unless that is 0 (none yet:
 * the jail's first list) or has no map of this file's; a list the map
 * has no room for gets a new map and program.
 */
int
devbpf_set(int cgfd, const struct dev_list *l, uint32_t prog_id)
{
	_cleanup_close_ int mapfd = map_find(prog_id);
	int r;

	if (mapfd < 0)
		return install(cgfd, l);
	r = map_fill(mapfd, l);
	if (r == -E2BIG)
		return install(cgfd, l);
	return r < 0 ? jail_syserr(r, "devices: update the device map") : 0;
}
