/* Signal handlers and fork (issue 12, item 5). The original's audit_get_reply and ACK wait are
 * plain system calls: a signal handler may call audit_get_reply while the code it interrupted is
 * inside audit_get_reply, and a child forked while another thread is inside the library may call
 * it. Neither may hang on ours.
 *
 * To hit the moment deterministically, this program interposes malloc() and recvfrom(): while a
 * call is "armed", the first of them made inside the library (malloc under whatever lock the
 * library holds, or the receive itself) is where the signal is raised, or the fork is made by
 * another thread, or, inside an ACK wait, a forked child reads the ACK the parent waits for.
 * Each case runs in a forked child with a watchdog. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);

static _Atomic int armed;        /* the next malloc/recvfrom inside the library is the moment */
static _Atomic int recv_only;    /* ... only a recvfrom */
static _Atomic int inside, forked;
static void (*at_moment)(void);
static int fd;

static void moment(void)
{
	int expected = 1;
	if (atomic_compare_exchange_strong(&armed, &expected, 0))
		at_moment();
}

void *malloc(size_t n)
{
	if (atomic_load(&armed) && !atomic_load(&recv_only))
		moment();
	return __libc_malloc(n);
}

void *realloc(void *p, size_t n)
{
	if (atomic_load(&armed) && !atomic_load(&recv_only))
		moment();
	return __libc_realloc(p, n);
}

ssize_t recvfrom(int s, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	if (atomic_load(&armed))
		moment();
	return real(s, buf, len, flags, addr, alen);
}

/* --- a signal handler calls audit_get_reply --- */
static int handler_rc = 1, handler_errno;

static void handler(int sig)
{
	struct audit_reply rep;
	int saved = errno;
	handler_rc = audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
	handler_errno = errno;
	errno = saved;
}

static void raise_signal(void)
{
	raise(SIGUSR1);
}

static void signal_in_get_reply(void)
{
	struct audit_reply rep;
	int i, rc;
	signal(SIGUSR1, handler);
	at_moment = raise_signal;
	/* A new socket each round: its first use is when the library sets up its state for it. */
	for (i = 0; i < 20; i++) {
		fd = audit_open();
		handler_rc = 1;
		atomic_store(&armed, 1);
		rc = audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
		atomic_store(&armed, 0);
		if (i == 0) {
			printf("  interrupted call: rc=%d, the handler's: rc=%d errno=%s\n", rc, handler_rc,
			       strerrorname_np(handler_errno));
		}
		h_check(handler_rc == -EAGAIN, "the handler's call returned");
		audit_close(fd);
	}
	printf("  20 rounds done\n");
}

/* --- another thread forks while this one is inside the library --- */
static void wait_for_fork(void)
{
	int i;
	atomic_store(&inside, 1);
	/* Bounded: a library that makes fork wait for this thread must not deadlock the test. */
	for (i = 0; i < 500 && !atomic_load(&forked); i++)
		usleep(1000);
}

static void *reader(void *arg)
{
	struct audit_reply rep;
	atomic_store(&armed, 1);
	if (arg)
		audit_request_status(fd); /* the moment: the ACK wait's receive */
	else
		audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
	atomic_store(&armed, 0);
	return NULL;
}

static void fork_while_inside(int ack_wait)
{
	int i, hung = 0, status;
	at_moment = wait_for_fork;
	for (i = 0; i < 20; i++) {
		pthread_t th;
		pid_t pid;
		fd = audit_open();
		atomic_store(&inside, 0);
		atomic_store(&forked, 0);
		pthread_create(&th, NULL, reader, ack_wait ? (void *)1 : NULL);
		while (!atomic_load(&inside))
			usleep(100);
		pid = fork();
		if (pid == 0) {
			struct audit_reply rep;
			int other;
			alarm(2);
			/* The child's first calls: on the inherited fd, then on a socket of its own. */
			audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
			other = audit_open();
			_exit(h_status_round(other) ? 0 : 3);
		}
		atomic_store(&forked, 1);
		pthread_join(th, NULL);
		waitpid(pid, &status, 0);
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			hung++;
			break; /* the parent may be stuck too */
		}
		/* Drain what the request left, then the parent goes on with the fd. */
		{
			struct audit_reply rep;
			while (audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0) > 0)
				;
		}
		h_check(h_status_round(fd), "the parent goes on");
		audit_close(fd);
	}
	printf("  %d forks, children that hung or failed: %d\n", i + hung, hung);
	h_check(hung == 0, "no child hung");
}

static void fork_in_get_reply(void)
{
	fork_while_inside(0);
}

static void fork_in_ack_wait(void)
{
	fork_while_inside(1);
}

/* --- a forked child reads the ACK the parent waits for --- */
static void child_takes_ack(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct audit_reply rep;
		alarm(2);
		/* The kernel queued the ACK before sendto returned: the child's read takes it. */
		audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* The request is settled by the kernel's answer to it (its status reply), which the kernel sends
 * only for a request it accepted: the original takes any non-ACK datagram for success, ours the
 * one carrying the request's sequence number (deviation N3). Neither waits for the ACK the child
 * took (ours did, until its 40.5 s timeout: this case's watchdog killed it). The longest wait
 * goes to stderr, which the driver does not compare. */
static void ack_taken_by_child(void)
{
	struct audit_reply rep;
	struct timespec t0, t1;
	long ms, longest = 0;
	int i, rc;
	at_moment = child_takes_ack;
	atomic_store(&recv_only, 1);
	for (i = 0; i < 5; i++) {
		fd = audit_open();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		atomic_store(&armed, 1);
		rc = audit_request_status(fd); /* the moment: the ACK wait's first receive */
		atomic_store(&armed, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		longest = ms > longest ? ms : longest;
		h_check(rc > 0, "the request succeeded");
		h_check(ms < 5000, "without waiting for the taken ACK");
		while (audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0) > 0)
			;
		audit_close(fd);
	}
	atomic_store(&recv_only, 0);
	fprintf(stderr, "  longest wait: %ld ms\n", longest);
	printf("  5 requests whose ACK a forked child read: done\n");
}

int main(void)
{
	h_init();
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	h_in_child("a signal handler calls audit_get_reply inside audit_get_reply", signal_in_get_reply, 30);
	h_in_child("fork while another thread is inside audit_get_reply", fork_in_get_reply, 30);
	h_in_child("fork while another thread waits for an ACK", fork_in_ack_wait, 30);
	h_in_child("a forked child reads the ACK the parent waits for", ack_taken_by_child, 30);
	return h_done();
}
