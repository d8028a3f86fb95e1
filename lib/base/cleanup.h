// SPDX-License-Identifier: BSD-2-Clause
/*
 * cleanup.h: scope-bound release of memory, descriptors and streams.
 *
 * Owns the _cleanup_ helpers and the TAKE_* hand-over macros; every
 * destructor accepts NULL or -1 so a variable may be released whether or
 * not it was ever filled.  Must never allocate or report errors.
 */
#ifndef GAOL_CLEANUP_H
#define GAOL_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)
#define _cleanup_strv_ _cleanup_(strv_freep)

#ifndef nitems
#define nitems(x) (sizeof(x) / sizeof((x)[0]))
#endif

/* Hand ownership of a pointer or descriptor over, leaving the source empty. */
#define TAKE_PTR(p)                                                   \
	({                                                            \
		__typeof__(p) _p = (p);                               \
		(p) = NULL;                                           \
		_p;                                                   \
	})
#define TAKE_FD(fd)                                                   \
	({                                                            \
		int _fd = (fd);                                       \
		(fd) = -1;                                            \
		_fd;                                                  \
	})

static inline void
freep(void *p)
{
	free(*(void **)p);
}

/* close(2) without disturbing errno, which the caller may still report. */
static inline void
closep(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		(void)close(*fd);
	errno = saved;
}

static inline void
fclosep(FILE **f)
{
	if (*f != NULL)
		(void)fclose(*f);
}

static inline void
closedirp(DIR **d)
{
	if (*d != NULL)
		(void)closedir(*d);
}

static inline void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static inline void
strv_freep(char ***v)
{
	strv_free(*v);
}

#endif
