// SPDX-License-Identifier: BSD-2-Clause
/*
 * jail.h: the public interface of libjail, gaol's jail library.
 *
 * The names and conventions are FreeBSD's libjail(3), with the flags and
 * calls of FreeBSD's <sys/jail.h>: functions return -1 (or NULL) on
 * failure, set errno and leave a one-line message in jail_errmsg.  All
 * parameter values cross this interface as strings, in the form jail(8)
 * accepts and jls(8) prints.  jail(3) tells where Linux differs.
 */
#ifndef GAOL_JAIL_H
#define GAOL_JAIL_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JAIL_ERRMSGLEN 1024

/* Flags of jail_setv(3), jailparam_set(3) and the get calls, as on FreeBSD. */
#define JAIL_CREATE 0x01
#define JAIL_UPDATE 0x02
#define JAIL_ATTACH 0x04
#define JAIL_DYING 0x08

/* The message of the last failure in this thread (FreeBSD: one global). */
extern __thread char jail_errmsg[JAIL_ERRMSGLEN];

struct jailparam {
	char *jp_name;
	void *jp_value;		/* NUL-terminated string, or NULL */
	size_t jp_valuelen;	/* its length (raw: the buffer's size) */
	size_t jp_elemlen;	/* always 0: arrays are strings too */
	int jp_ctltype;		/* private: the parameter's row */
	int jp_structtype;	/* unused */
	unsigned jp_flags;
};

/* jp_flags */
#define JP_RAWVALUE 0x01
#define JP_BOOL 0x02
#define JP_NOBOOL 0x04
#define JP_JAILSYS 0x08

int jail_getid(const char *name);
char *jail_getname(int jid);
int jail_setv(int flags, ...);
int jail_getv(int flags, ...);

/* <sys/jail.h>'s calls; jail_attach always fails on Linux (jail(3)). */
int jail_attach(int jid);
int jail_remove(int jid);

/* gaol: jail_attach(jid) then execvp(argv[0], argv), as jexec(8) runs it. */
int jail_execvp(int jid, char *const argv[]);

int jailparam_all(struct jailparam **jpp);
int jailparam_init(struct jailparam *jp, const char *name);
int jailparam_import(struct jailparam *jp, const char *value);
int jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen);
int jailparam_set(struct jailparam *jp, unsigned njp, int flags);
int jailparam_get(struct jailparam *jp, unsigned njp, int flags);
char *jailparam_export(struct jailparam *jp);
void jailparam_free(struct jailparam *jp, unsigned njp);

#ifdef __cplusplus
}
#endif

#endif
