/* A kernel that never answers: this executable's sendto() (which wins over libc's for every
 * library in it) reports the library's requests as sent and drops them, so no ACK ever comes.
 * Prints what audit_send returns and after how long. Run by tests/ack_timeout.rs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

extern int audit_send(int fd, int type, const void *data, unsigned int size);

static int swallowed_fd = -1;

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen)
{
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	if (fd == swallowed_fd)
		return (ssize_t)len;
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	return real(fd, buf, len, flags, addr, alen);
}

int main(void)
{
	struct timespec start, end;
	int rc, fd = audit_open();
	if (fd < 0)
		return 2;
	swallowed_fd = fd;
	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = audit_send(fd, AUDIT_USER, "op=ack-timeout", 15);
	int err = errno;
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("rc=%d errno=%s after %.2f s\n", rc, strerrorname_np(err),
	       (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
	audit_close(fd);
	return 0;
}
