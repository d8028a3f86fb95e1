/*
 * lsm-procnet.c: which procfs files the BPF LSM program of a jail without
 * vnet refuses (bpf/jail-procnet.h), checked against the running kernel
 * through an iterator program (procnet-iter.bpf.c) over this process's
 * own open files: it opens each file of the table, on the host, read-only,
 * and compares the program's answer with the table's.  TAP; needs root
 * (BPF), skips without it.
 *
 * Where the kernel loads BPF LSM programs, attack-net.sh shows the same
 * refusals inside a jail; this test also runs where it does not.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procnet-iter-bpf.h"	/* procnet_iter_bpf[], the object */

struct want {
	const char *path;	/* TID: this process's thread id */
	int flags;
	int refused;
	int fd;
};

static struct want table[] = {
	{ "/proc/self/net/tcp", O_RDONLY, 1, -1 },
	{ "/proc/net/tcp6", O_RDONLY, 1, -1 },
	{ "/proc/net/udp", O_RDONLY, 1, -1 },
	{ "/proc/self/net/unix", O_RDONLY, 1, -1 },
	{ "/proc/self/net/raw", O_RDONLY, 1, -1 },
	{ "/proc/self/net/packet", O_RDONLY, 1, -1 },
	{ "/proc/self/net/netlink", O_RDONLY, 1, -1 },
	{ "/proc/thread-self/net/udp6", O_RDONLY, 1, -1 },
	{ "/proc/self/task/TID/net/tcp", O_RDONLY, 1, -1 },
	{ "/proc/self/net/stat", O_RDONLY | O_DIRECTORY, 1, -1 },
	{ "/proc/self/net/stat/arp_cache", O_RDONLY, 1, -1 },
	{ "/proc/self/net", O_RDONLY | O_DIRECTORY, 0, -1 },
	{ "/proc/net", O_RDONLY | O_DIRECTORY, 0, -1 },
	{ "/proc/self/net/dev", O_RDONLY, 0, -1 },
	{ "/proc/self/net/if_inet6", O_RDONLY, 0, -1 },
	{ "/proc/self/net/protocols", O_RDONLY, 0, -1 },
	{ "/proc/self/net/snmp", O_RDONLY, 0, -1 },
	{ "/proc/self/task/TID/net/route", O_RDONLY, 0, -1 },
	{ "/proc/self/task/TID/net", O_RDONLY | O_DIRECTORY, 0, -1 },
	{ "/proc/self/status", O_RDONLY, 0, -1 },
	{ "/proc/self/task/TID/status", O_RDONLY, 0, -1 },
	{ "/proc/sys/net/ipv4/ip_forward", O_RDONLY, 0, -1 },
	{ "/proc/self/ns/net", O_RDONLY, 0, -1 },
	{ "/proc/cpuinfo", O_RDONLY, 0, -1 },
	{ "/etc/hostname", O_RDONLY, 0, -1 },
};

#define N (sizeof(table) / sizeof(table[0]))

static int
quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l;
	(void)f;
	(void)ap;
	return 0;
}

/* path with "TID" replaced by this thread's id, into buf. */
static void
expand(const char *path, char *buf, size_t len)
{
	const char *t = strstr(path, "TID");

	if (t == NULL)
		(void)snprintf(buf, len, "%s", path);
	else
		(void)snprintf(buf, len, "%.*s%d%s", (int)(t - path), path,
		    (int)gettid(), t + 3);
}

/* Run the iterator; its output (malloc'd) in *ret. */
static int
run_iter(struct bpf_object *obj, char **ret)
{
	struct bpf_program *prog = bpf_object__next_program(obj, NULL);
	struct bpf_link *link = bpf_program__attach_iter(prog, NULL);
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (link == NULL || buf == NULL)
		return -1;
	fd = bpf_iter_create(bpf_link__fd(link));
	while (fd >= 0 && (n = read(fd, buf + len, cap - len - 1)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	*ret = buf;
	return fd < 0 ? -1 : 0;
}

/* What the program said about descriptor fd: 0, 1, or -1 (not listed). */
static int
answer(const char *out, int fd)
{
	char key[32];
	size_t k;

	k = (size_t)snprintf(key, sizeof(key), "%d ", fd);
	for (const char *l = out; *l != '\0'; l = strchr(l, '\n') + 1) {
		if (strncmp(l, key, k) == 0)
			return atoi(l + k);
		if (strchr(l, '\n') == NULL)
			break;
	}
	return -1;
}

int
main(void)
{
	struct { int tgid; } cfg = { getpid() };
	struct bpf_object *obj;
	struct bpf_map *map;
	char *out = NULL, path[128];
	int bad = 0;

	printf("1..%zu\n", N);
	libbpf_set_print(quiet);
	obj = bpf_object__open_mem(procnet_iter_bpf, procnet_iter_bpf_len,
	    NULL);
	map = obj != NULL ? bpf_object__find_map_by_name(obj, ".rodata.cfg") :
	    NULL;
	if (geteuid() != 0 || map == NULL ||
	    bpf_map__set_initial_value(map, &cfg, sizeof(cfg)) < 0 ||
	    bpf_object__load(obj) < 0) {
		printf("# SKIP cannot load the iterator (needs root and BTF)\n");
		for (size_t i = 0; i < N; i++)
			printf("ok %zu # SKIP no iterator\n", i + 1);
		return 0;
	}
	for (size_t i = 0; i < N; i++) {
		expand(table[i].path, path, sizeof(path));
		table[i].fd = open(path, table[i].flags | O_CLOEXEC);
	}
	if (run_iter(obj, &out) < 0) {
		printf("Bail out! the iterator did not run\n");
		return 1;
	}
	for (size_t i = 0; i < N; i++) {
		int got = table[i].fd < 0 ? -2 : answer(out, table[i].fd);

		expand(table[i].path, path, sizeof(path));
		if (table[i].fd < 0)
			printf("ok %zu - %s # SKIP not on this host\n", i + 1,
			    path);
		else if (got == table[i].refused)
			printf("ok %zu - %s %s\n", i + 1, path,
			    got ? "refused" : "allowed");
		else {
			printf("not ok %zu - %s: program says %d, want %d\n",
			    i + 1, path, got, table[i].refused);
			bad = 1;
		}
	}
	free(out);
	bpf_object__close(obj);
	return bad;
}
