// SPDX-License-Identifier: BSD-2-Clause
/*
 * jailctl.c: an example of libjail(3), the way a program outside gaol
 * uses it: <jail.h> and -ljail alone.
 *
 *	jailctl create NAME PATH [param=value ...]	prints the jid
 *	jailctl list					JID NAME HOSTNAME PATH
 *	jailctl run NAME command [arg ...]		the command's status
 *	jailctl remove NAME
 *
 * Build: cc -o jailctl jailctl.c -ljail
 */
#include <err.h>
#include <errno.h>
#include <jail.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr,
	    "usage: jailctl create name path [param=value ...]\n"
	    "       jailctl list\n"
	    "       jailctl run name command [arg ...]\n"
	    "       jailctl remove name\n");
	exit(1);
}

/* A persistent jail from name, path and "param=value" words. */
static int
create(int argc, char **argv)
{
	struct jailparam *jp = calloc((size_t)argc + 1, sizeof(*jp));
	unsigned n = 0;
	int jid;

	if (argc < 2 || jp == NULL)
		usage();
	if (jailparam_init(&jp[n], "name") < 0 ||
	    jailparam_import(&jp[n++], argv[0]) < 0 ||
	    jailparam_init(&jp[n], "path") < 0 ||
	    jailparam_import(&jp[n++], argv[1]) < 0 ||
	    jailparam_init(&jp[n], "persist") < 0 ||
	    jailparam_import(&jp[n++], "true") < 0)
		errx(1, "%s", jail_errmsg);
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL)
			usage();
		*eq = '\0';
		if (jailparam_init(&jp[n], argv[i]) < 0 ||
		    jailparam_import(&jp[n++], eq + 1) < 0)
			errx(1, "%s", jail_errmsg);
	}
	jid = jailparam_set(jp, n, JAIL_CREATE);
	if (jid < 0)
		errx(1, "%s", jail_errmsg);
	jailparam_free(jp, n);
	free(jp);
	printf("%d\n", jid);
	return 0;
}

/* Every jail, as jls(8) walks them: the first one above lastjid. */
static int
list(void)
{
	static const char *names[] = { "lastjid", "name", "host.hostname",
		"path" };
	struct jailparam jp[4];
	char last[16] = "0";
	int jid;

	for (int i = 0; i < 4; i++)
		if (jailparam_init(&jp[i], names[i]) < 0)
			errx(1, "%s", jail_errmsg);
	for (;;) {
		if (jailparam_import(&jp[0], last) < 0)
			errx(1, "%s", jail_errmsg);
		jid = jailparam_get(jp, 4, 0);
		if (jid < 0 && errno == ENOENT)
			break;
		if (jid < 0)
			errx(1, "%s", jail_errmsg);
		printf("%d %s %s %s\n", jid, (char *)jp[1].jp_value,
		    (char *)jp[2].jp_value, (char *)jp[3].jp_value);
		(void)snprintf(last, sizeof(last), "%d", jid);
	}
	jailparam_free(jp, 4);
	return 0;
}

/*
 * FreeBSD's fork, jail_attach, execvp: here jail_execvp, which runs the
 * command inside the jail and leaves as it left.
 */
static int
run(int argc, char **argv)
{
	int jid, status;
	pid_t pid;

	if (argc < 2)
		usage();
	jid = jail_getid(argv[0]);
	if (jid < 0)
		errx(1, "%s", jail_errmsg);
	(void)fflush(stdout);
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		(void)jail_execvp(jid, argv + 1);
		errx(127, "%s", jail_errmsg);
	}
	if (waitpid(pid, &status, 0) < 0)
		err(1, "waitpid");
	if (WIFSIGNALED(status))
		printf("killed by signal %d\n", WTERMSIG(status));
	else
		printf("exit status %d\n", WEXITSTATUS(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int
remove_jail(int argc, char **argv)
{
	int jid;

	if (argc != 1)
		usage();
	jid = jail_getid(argv[0]);
	if (jid < 0 || jail_remove(jid) < 0)
		errx(1, "%s", jail_errmsg);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "create") == 0)
		return create(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return list();
	if (strcmp(argv[1], "run") == 0)
		return run(argc - 2, argv + 2);
	if (strcmp(argv[1], "remove") == 0)
		return remove_jail(argc - 2, argv + 2);
	usage();
}
