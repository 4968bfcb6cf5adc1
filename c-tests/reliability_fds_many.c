/* Per-descriptor state for many descriptors (issue 12, item 6). 50,000 distinct descriptor numbers
 * (fewer where the hard RLIMIT_NOFILE is lower and cannot be raised: all it allows)
 * (each a dup of one audit socket, closed with close(), not audit_close) each get an
 * audit_get_reply and an audit_send: what the library remembers about them must not stay behind,
 * and later calls must not slow down (the timings go to stderr: speed is measured, not asserted).
 * The original keeps nothing per descriptor. */
#define _GNU_SOURCE
#include "harness.h"
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FDS 50000

static size_t heap_in_use(void)
{
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Time per call of 20,000 audit_get_reply on an empty socket. */
static double per_call(int fd)
{
	struct audit_reply rep;
	double t = seconds();
	int i;
	for (i = 0; i < 20000; i++)
		audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
	return (seconds() - t) / 20000;
}

int main(void)
{
	struct rlimit r = { FDS + 1000, FDS + 1000 };
	struct audit_reply rep;
	int fd, i, acked = 0, fds = FDS;
	size_t heap;
	double before, after;

	h_init();
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	if (setrlimit(RLIMIT_NOFILE, &r)) {
		/* Without CAP_SYS_RESOURCE: up to the hard limit. */
		getrlimit(RLIMIT_NOFILE, &r);
		r.rlim_cur = r.rlim_max;
		h_check(setrlimit(RLIMIT_NOFILE, &r) == 0, "RLIMIT_NOFILE");
		if ((int)r.rlim_max - 300 < fds)
			fds = r.rlim_max - 300;
	}
	fd = audit_open();
	before = per_call(dup2(fd, 100)); /* descriptors not seen before */
	heap = heap_in_use();
	for (i = 0; i < fds; i++) {
		int n = 200 + i;
		h_check(dup2(fd, n) == n, "dup2");
		audit_get_reply(n, &rep, GET_REPLY_NONBLOCKING, 0);
		if (i % 100 == 0) {
			/* A request too: the ACK wait's bookkeeping. */
			acked += audit_request_status(n) > 0;
			while (audit_get_reply(n, &rep, GET_REPLY_NONBLOCKING, 0) > 0)
				;
		}
		close(n);
	}
	after = per_call(dup2(fd, 101));
	printf("every request acknowledged: %d\n", acked == (fds + 99) / 100);
	printf("heap grew less than 256 KB: %d\n", heap_in_use() < heap + 256 * 1024);
	fprintf(stderr, "%d descriptors: heap +%zd bytes; audit_get_reply %.0f ns per call before, %.0f ns after (x%.1f)\n",
		fds, (ssize_t)(heap_in_use() - heap), before * 1e9, after * 1e9, after / before);
	audit_close(fd);
	return h_done();
}
