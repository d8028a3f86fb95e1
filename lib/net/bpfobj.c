// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpfobj.c: gaol's embedded BPF objects (bpf/), opened and loaded
 * with libbpf, their programs attached to a jail's cgroup.
 *
 * Owns libbpf, opened the first time an object is needed (dlopen): a
 * jail whose sockets need no program, as the default one, maps neither
 * libbpf nor the libelf and zlib it brings, three libraries fewer to
 * load, relocate and tear down at each jail -c.  The programs are
 * attached with no flag (cg_bpf_attach): they live as long as the cgroup
 * (no descriptor or link to keep), and no program may be attached
 * beneath them.  Never detaches: removing the cgroup does.
 */
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "net-int.h"

/* The functions of libbpf gaol calls, and why not if it has none. */
static struct {
	typeof(libbpf_set_print) *set_print;
	typeof(bpf_object__open_mem) *open_mem;
	typeof(bpf_object__find_map_by_name) *find_map;
	typeof(bpf_map__set_initial_value) *set_initial;
	typeof(bpf_object__load) *load;
	typeof(bpf_object__next_program) *next_program;
	typeof(bpf_program__set_autoload) *set_autoload;
	typeof(bpf_program__autoload) *autoload;
	typeof(bpf_program__expected_attach_type) *attach_type;
	typeof(bpf_program__fd) *fd;
	typeof(bpf_program__name) *name;
	typeof(bpf_object__close) *close;
	char why[200];
} bpf;

static void
bpf_dlopen(void)
{
	const struct {
		const char *name;
		void **fn;
	} syms[] = {
		{ "libbpf_set_print", (void **)&bpf.set_print },
		{ "bpf_object__open_mem", (void **)&bpf.open_mem },
		{ "bpf_object__find_map_by_name", (void **)&bpf.find_map },
		{ "bpf_map__set_initial_value", (void **)&bpf.set_initial },
		{ "bpf_object__load", (void **)&bpf.load },
		{ "bpf_object__next_program", (void **)&bpf.next_program },
		{ "bpf_program__set_autoload", (void **)&bpf.set_autoload },
		{ "bpf_program__autoload", (void **)&bpf.autoload },
		{ "bpf_program__expected_attach_type",
		    (void **)&bpf.attach_type },
		{ "bpf_program__fd", (void **)&bpf.fd },
		{ "bpf_program__name", (void **)&bpf.name },
		{ "bpf_object__close", (void **)&bpf.close },
	};
	void *dl = dlopen(LIBBPF_SONAME, RTLD_NOW | RTLD_LOCAL);

	for (size_t i = 0; dl != NULL && i < nitems(syms); i++)
		if ((*syms[i].fn = dlsym(dl, syms[i].name)) == NULL)
			dl = NULL;
	if (dl == NULL)
		(void)snprintf(bpf.why, sizeof(bpf.why), "%s", dlerror());
}

/* libbpf's chatter: its last line becomes the message of a failure. */
static _Thread_local char bpf_last[256];

static int __attribute__((format(printf, 2, 0)))
bpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_DEBUG) {
		(void)vsnprintf(bpf_last, sizeof(bpf_last), fmt, ap);
		bpf_last[strcspn(bpf_last, "\n")] = '\0';
	}
	return 0;
}

static int
bpf_fail(int r, const char *what)
{
	if (bpf_last[0] != '\0')
		return jail_seterr(r, "%s: %s", what, bpf_last);
	return jail_syserr(r, "%s", what);
}

/*
 * Open the embedded object img (len bytes) and give it cfg (size bytes),
 * if not NULL, as its read-only data, the section ".rodata.cfg".  Not
 * loaded yet: the caller may still leave programs out (bpfobj_select).
 */
int
bpfobj_open(const unsigned char *img, size_t len, const void *cfg,
    size_t size, const char *what, struct bpf_object **ret)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct bpf_object *obj;
	struct bpf_map *map;
	int r;

	(void)pthread_once(&once, bpf_dlopen);
	if (bpf.why[0] != '\0')
		return jail_seterr(-ELIBACC, "%s: %s", what, bpf.why);
	bpf_last[0] = '\0';
	(void)bpf.set_print(bpf_print);
	obj = bpf.open_mem(img, len, NULL);
	if (obj == NULL)
		return bpf_fail(-errno, what);
	map = bpf.find_map(obj, ".rodata.cfg");
	r = cfg == NULL ? 0 : map == NULL ? -ENOENT :
	    bpf.set_initial(map, cfg, size);
	if (r < 0) {
		bpf.close(obj);
		return bpf_fail(r, what);
	}
	*ret = obj;
	return 0;
}

/* Leave out of obj each program whose attach type keep refuses. */
void
bpfobj_select(struct bpf_object *obj,
    bool (*keep)(unsigned type, const void *arg), const void *arg)
{
	for (struct bpf_program *p = bpf.next_program(obj, NULL); p != NULL;
	     p = bpf.next_program(obj, p))
		(void)bpf.set_autoload(p, keep(bpf.attach_type(p), arg));
}

/*
 * Load obj and attach each of its programs left in to cgroup cgfd; the
 * object is closed either way: attached programs hold their own
 * references.
 */
int
bpfobj_attach(struct bpf_object *obj, int cgfd, const char *what)
{
	int r = bpf.load(obj);

	if (r < 0)
		r = bpf_fail(r, what);
	for (struct bpf_program *p = bpf.next_program(obj, NULL);
	     r >= 0 && p != NULL; p = bpf.next_program(obj, p)) {
		if (!bpf.autoload(p))
			continue;
		r = cg_bpf_attach(cgfd, bpf.fd(p), bpf.attach_type(p));
		if (r < 0)
			r = jail_syserr(r, "attach %s to the jail's cgroup",
			    bpf.name(p));
	}
	bpf.close(obj);
	return r < 0 ? r : 0;
}

/*
 * Load the embedded object img (len bytes) and keep the descriptor of
 * its program name (*ret_fd, close-on-exec); the object itself goes.
 */
int
net_bpf_program(const unsigned char *img, size_t len, const char *name,
    const char *what, int *ret_fd)
{
	struct bpf_object *obj = NULL;
	int r = bpfobj_open(img, len, NULL, 0, what, &obj);

	if (r < 0)
		return r;
	r = bpf.load(obj);
	if (r < 0)
		r = bpf_fail(r, what);
	for (struct bpf_program *p = bpf.next_program(obj, NULL);
	     r >= 0 && p != NULL; p = bpf.next_program(obj, p)) {
		if (strcmp(bpf.name(p), name) != 0)
			continue;
		*ret_fd = fcntl(bpf.fd(p), F_DUPFD_CLOEXEC, 3);
		r = *ret_fd >= 0 ? 1 : jail_syserr(-errno, "%s", what);
	}
	bpf.close(obj);
	if (r == 0)
		r = jail_seterr(-ENOENT, "%s: no program %s", what, name);
	return r < 0 ? r : 0;
}
