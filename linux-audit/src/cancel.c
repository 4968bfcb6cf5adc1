/* The blocking system calls of linux-audit's core as cancellation points of the calling thread,
 * without unwinding through Rust frames (see cancel.rs).
 *
 * This is what pthread_cleanup_push expands to in C without exceptions: a cleanup buffer
 * registered around the call, to which glibc's unwinder jumps when the thread is cancelled
 * inside it. The jump skips only glibc's own frames (the call's, and the SIGCANCEL handler's
 * when the cancellation came during the call); instead of running a handler and unwinding on
 * (__pthread_unwind_next), the function reports the cancellation, and the Rust caller returns
 * normally. The thread then ends with pthread_exit, started by the export outside catch_unwind. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

/* Mirrors BlockingCall in cancel.rs. */
struct blocking_call {
	int kind; /* 0: poll, 1: recvfrom */
	int fd;
	struct pollfd *fds;
	nfds_t nfds;
	int timeout;
	void *buf;
	size_t len;
	int flags;
	struct sockaddr *addr;
	socklen_t *addr_len;
};

long linux_audit_cancellable_call(const struct blocking_call *call, int *cancelled)
{
	__pthread_unwind_buf_t unwind;
	long rc;
	int saved, type;

	*cancelled = 0;
	if (__sigsetjmp_cancel(unwind.__cancel_jmp_buf, 0)) {
		/* The thread is being cancelled in the call: glibc's unwinder jumped back here. */
		__pthread_unregister_cancel(&unwind);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		*cancelled = 1;
		errno = ECANCELED;
		return -1;
	}
	__pthread_register_cancel(&unwind);
	/* Deferred, whatever the caller's type: an asynchronous cancellation could act between two
	 * instructions of this function, outside the call. */
	pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &type);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	if (call->kind == 0)
		rc = poll(call->fds, call->nfds, call->timeout);
	else
		rc = recvfrom(call->fd, call->buf, call->len, call->flags, call->addr, call->addr_len);
	saved = errno;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_setcanceltype(type, NULL);
	__pthread_unregister_cancel(&unwind);
	errno = saved;
	return rc;
}

/* Disables the calling thread's cancellation; returns 1 if it was enabled. */
int linux_audit_cancel_disable(void)
{
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	return old == PTHREAD_CANCEL_ENABLE;
}

void linux_audit_cancel_enable(void)
{
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
}
