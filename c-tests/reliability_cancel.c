/* Thread cancellation (issue 12, item 1). A thread blocked in audit_get_reply(GET_REPLY_BLOCKING),
 * or in a request's wait for its ACK (a fake socket that never answers: this program's recvfrom
 * and poll stand in for it), is cancelled; a thread with a cancel pending enters audit_get_reply,
 * audit_log_user_message,
 * audit_close, get_auditfail_action, audit_getloginuid or audit_send. The original is cancelled at
 * its cancellation point (recvfrom, sendto, close, open) and the process goes on; so must ours,
 * leaving no lock or fd state behind: afterwards the same fd (when it was not closed) and a new one
 * carry a request and its reply, and the library still logs.
 *
 * Each case runs in a forked child with a watchdog (h_in_child), so that a library that aborts or
 * hangs is seen as such. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum call { C_GET_REPLY_BLOCKED, C_ACK_WAIT_BLOCKED, C_GET_REPLY, C_LOG_USER, C_CLOSE, C_FAIL_ACTION, C_LOGINUID, C_SEND };
static const char *names[] = { "audit_get_reply blocked, then cancelled", "audit_send waiting for its ACK, then cancelled",
			       "audit_get_reply", "audit_log_user_message", "audit_close", "get_auditfail_action",
			       "audit_getloginuid", "audit_send" };

static int fd, silent_fd = -1;

/* The silent peer: a socket whose requests are never answered. */
ssize_t recvfrom(int s, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	if (s == silent_fd && silent_fd >= 0) {
		errno = EAGAIN;
		return -1;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	return real(s, buf, len, flags, addr, alen);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	static int (*real)(struct pollfd *, nfds_t, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "poll");
	if (n == 1 && fds[0].fd == silent_fd && silent_fd >= 0) {
		fds[0].revents = 0;
		return real(NULL, 0, timeout); /* nothing ever comes: the whole timeout, cancellable */
	}
	return real(fds, n, timeout);
}
static volatile int reached_end;

/* Not instrumented by AddressSanitizer (tests/memcheck.rs): a cancelled thread's frames are
 * left by glibc's forced unwind, which ASan does not see, so the redzones of this frame's locals
 * would stay poisoned and the thread's exit path, reusing that stack, would be reported. */
__attribute__((no_sanitize_address)) static void *call(void *arg)
{
	enum call which = (enum call)(long)arg;
	struct audit_reply rep;
	auditfail_t action;

	if (which != C_GET_REPLY_BLOCKED && which != C_ACK_WAIT_BLOCKED) {
		/* A cancel pending on entry: deferred cancellation acts at the next cancellation point. */
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		pthread_cancel(pthread_self());
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	}
	switch (which) {
	case C_GET_REPLY_BLOCKED:
	case C_GET_REPLY:
		audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
		break;
	case C_ACK_WAIT_BLOCKED:
		audit_send(silent_fd, AUDIT_USER, "never answered", sizeof "never answered");
		break;
	case C_LOG_USER:
		audit_log_user_message(fd, AUDIT_USER, "libaudit-rs cancellation test", NULL, NULL, NULL, 1);
		break;
	case C_CLOSE:
		audit_close(fd);
		break;
	case C_FAIL_ACTION:
		get_auditfail_action(&action);
		break;
	case C_LOGINUID:
		audit_getloginuid();
		break;
	case C_SEND:
		audit_send(fd, AUDIT_GET, NULL, 0);
		break;
	}
	reached_end = 1;
	return NULL;
}

static void child(enum call which)
{
	pthread_t th;
	void *ret;
	int other;
	auditfail_t action;

	set_aumessage_mode(MSG_QUIET, DBG_NO);
	fd = audit_open();
	h_check(fd >= 0, "audit_open");
	/* Its requests go to rtnetlink, whose answers this program's recvfrom hides. */
	silent_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	pthread_create(&th, NULL, call, (void *)(long)which);
	if (which == C_GET_REPLY_BLOCKED || which == C_ACK_WAIT_BLOCKED) {
		usleep(200 * 1000); /* let it block in recvfrom */
		pthread_cancel(th);
	}
	pthread_join(th, &ret);
	printf("  thread cancelled: %d, went past the call: %d\n", ret == PTHREAD_CANCELED, reached_end);
	printf("  fd still open: %d\n", fcntl(fd, F_GETFD) != -1);
	/* The process goes on: the fd (unless closed) and a new one work, nothing is left locked. */
	if (fcntl(fd, F_GETFD) != -1) {
		printf("  the same fd: status round %d\n", h_status_round(fd));
		audit_close(fd);
	}
	other = audit_open();
	printf("  a new fd: status round %d\n", h_status_round(other));
	printf("  get_auditfail_action: %d, audit_getloginuid same as before: %d\n", get_auditfail_action(&action),
	       audit_getloginuid() == audit_getloginuid());
	audit_close(other);
}

static enum call current;

static void run_current(void)
{
	child(current);
}

int main(void)
{
	unsigned i;
	h_init();
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		current = (enum call)i;
		h_in_child(names[i], run_current, 20);
	}
	return h_done();
}
