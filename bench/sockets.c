// SPDX-License-Identifier: BSD-2-Clause
/*
 * sockets.c: the cost of socket(2) as a jailed process sees it.  Makes
 * and closes N (default 20000) UDP sockets of the family asked (4 or 6)
 * and prints the median of 20 rounds' mean microseconds per call.  bench.sh
 * copies it, built static, into its root and runs it in a jail whose
 * sockets its socket broker makes (ip4.addr) and in one that makes them
 * itself (ip4=inherit ip6=inherit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	int family = argc > 2 && argv[2][0] == '6' ? AF_INET6 : AF_INET;
	double us[ROUNDS];
	struct timespec t0, t1;

	if (n <= 0)
		return 2;
	for (int r = 0; r < ROUNDS; r++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++) {
			int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

			if (fd < 0) {
				perror("socket");
				return 1;
			}
			(void)close(fd);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[r] = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / (double)n;
	}
	qsort(us, ROUNDS, sizeof(us[0]), cmp);
	printf("%.3f\n", (us[ROUNDS / 2 - 1] + us[ROUNDS / 2]) / 2);
	return 0;
}
