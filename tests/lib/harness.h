// SPDX-License-Identifier: BSD-2-Clause
/*
 * harness.h: a TAP harness for C unit tests, after kselftest's.
 *
 * TEST(name) { ... } registers a case; main() is harness_main().  Each
 * case runs in its own fork()ed process, so a crash or a leaked state
 * fails that case only.  CHECK* report "# file:line: ..." and go on;
 * SKIP(reason) ends the case as "ok N - name # SKIP reason", a failure
 * when GAOL_TEST_MUST_RUN=1.  Header-only: include it from one file.
 */
#ifndef GAOL_HARNESS_H
#define GAOL_HARNESS_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HARNESS_MAX 512
#define HARNESS_SKIP 77

struct harness_case {
	const char *name;
	void (*fn)(void);
};

static struct harness_case harness_cases[HARNESS_MAX];
static unsigned harness_ncases;
static int harness_failed;		/* in the child: this case failed */
static char *harness_skip_reason;	/* shared with the parent */

#define TEST(name)                                                    \
	static void name(void);                                       \
	__attribute__((constructor)) static void harness_reg_##name(  \
	    void)                                                     \
	{                                                             \
		harness_register(#name, name);                        \
	}                                                             \
	static void name(void)

#define CHECK(cond)                                                   \
	harness_check((cond), __FILE__, __LINE__, "%s", "true",       \
	    "false: " #cond)
#define CHECK_INT(a, b)                                               \
	do {                                                          \
		long long a_ = (long long)(a), b_ = (long long)(b);   \
		harness_check(a_ == b_, __FILE__, __LINE__, "%lld",   \
		    b_, a_);                                          \
	} while (0)
#define CHECK_STR(a, b)                                               \
	do {                                                          \
		const char *a_ = (a), *b_ = (b);                      \
		harness_check(a_ != NULL && b_ != NULL &&             \
			strcmp(a_, b_) == 0,                          \
		    __FILE__, __LINE__, "\"%s\"", b_ ? b_ : "(null)", \
		    a_ ? a_ : "(null)");                              \
	} while (0)
#define SKIP(...) harness_skip(__VA_ARGS__)

/* End the case as skipped; the reason goes to the parent's TAP line. */
__attribute__((format(printf, 1, 2), noreturn)) static inline void
harness_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(harness_skip_reason, 256, fmt, ap);
	va_end(ap);
	fflush(stdout);
	_exit(HARNESS_SKIP);
}

static inline void
harness_register(const char *name, void (*fn)(void))
{
	if (harness_ncases >= HARNESS_MAX)
		abort();
	harness_cases[harness_ncases++] = (struct harness_case){ name, fn };
}

/* Record a failed check: "# file:line: expected X, got Y". */
#define harness_check(ok, file, line, fmt, want, got)                 \
	do {                                                          \
		if (!(ok)) {                                          \
			printf("# %s:%d: expected " fmt ", got " fmt  \
			       "\n", file, line, want, got);          \
			harness_failed = 1;                           \
		}                                                     \
	} while (0)

/* Run one case in a child; print its TAP line; return 1 if it failed. */
static inline int
harness_run(unsigned n, const struct harness_case *c)
{
	const char *must = getenv("GAOL_TEST_MUST_RUN");
	int status;
	pid_t pid;

	harness_skip_reason[0] = '\0';
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok %u - %s # fork failed\n", n, c->name);
		return 1;
	}
	if (pid == 0) {
		c->fn();
		fflush(stdout);
		_exit(harness_failed ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			printf("not ok %u - %s # waitpid failed\n", n, c->name);
			return 1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == HARNESS_SKIP) {
		if (must == NULL || strcmp(must, "1") != 0) {
			printf("ok %u - %s # SKIP %s\n", n, c->name,
			    harness_skip_reason);
			return 0;
		}
		printf("# GAOL_TEST_MUST_RUN=1 forbids skipping\n");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %u - %s\n", n, c->name);
		return 0;
	} else if (WIFSIGNALED(status))
		printf("# killed by signal %d\n", WTERMSIG(status));
	printf("not ok %u - %s\n", n, c->name);
	return 1;
}

/* Run every registered case; exit status 1 if any failed. */
static inline int
harness_main(void)
{
	int failed = 0;

	harness_skip_reason = mmap(NULL, 256, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (harness_skip_reason == MAP_FAILED)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", harness_ncases);
	for (unsigned i = 0; i < harness_ncases; i++)
		failed += harness_run(i + 1, &harness_cases[i]);
	return failed > 0 ? 1 : 0;
}

#endif
