/* A peer that floods the ACK wait, and replies nobody reads (issue 12, items 3 and 4).
 *
 * The fake kernel is netlink_peer.c's: the library is given a NETLINK_ROUTE socket, and this
 * program's recvfrom() and poll() answer for it. Time is virtual: this program's clock_gettime()
 * adds to CLOCK_MONOTONIC what the fake kernel lets pass (1 ms per datagram it delivers, a poll's
 * whole timeout when it has nothing), so a 40.5 s deadline is reached in a moment.
 *
 * 1. A request whose ACK never comes while the peer streams other datagrams, 1 KB each, at 1 ms
 *    intervals, for 60 s: the original ends the wait at the first one (deviation N3); ours must end
 *    it by its 40.5 s deadline with -EAGAIN, and keep a bounded number of them for audit_get_reply.
 * 2. 20,000 status requests, each answered by its ACK and an 8 KB reply that is never read: the
 *    original leaves them in the socket (here a ring of 64 datagrams that drops the newest when
 *    full, as a full socket does); what ours keeps must stay bounded (it drops the oldest and
 *    reports that once with ENOBUFS), and the reply to the last request must be readable.
 * Both print facts that hold for both libraries: the wait ended in time, memory stayed bounded. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <malloc.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RING 64
#define MS 1000000LL

struct fake {
	unsigned char data[9000];
	size_t len;
};

static int fake_fd = -1;
static enum { SCRIPTED, STREAM } mode;
static struct fake ring[RING];
static unsigned head, tail;
static long long virtual_ns;          /* added to CLOCK_MONOTONIC */
static long streamed, stream_limit;   /* datagrams delivered in STREAM mode, and when to stop */
static unsigned reply_len = 8192;

int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	long long ns;
	int rc;
	if (!real)
		real = dlsym(RTLD_NEXT, "clock_gettime");
	rc = real(id, ts);
	if (rc == 0 && (id == CLOCK_MONOTONIC || id == CLOCK_MONOTONIC_COARSE || id == CLOCK_BOOTTIME)) {
		ns = ts->tv_sec * 1000000000LL + ts->tv_nsec + virtual_ns;
		ts->tv_sec = ns / 1000000000LL;
		ts->tv_nsec = ns % 1000000000LL;
	}
	return rc;
}

static ssize_t real_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	return real(fd, buf, len, flags, addr, alen);
}

static void queue(int type, unsigned seq, const void *payload, size_t plen)
{
	struct fake *f;
	struct nlmsghdr *h;
	if (tail - head == RING)
		return; /* full: dropped, as a full socket drops */
	f = &ring[tail++ % RING];
	h = (struct nlmsghdr *)f->data;
	memset(h, 0, NLMSG_HDRLEN);
	h->nlmsg_len = NLMSG_LENGTH(plen);
	h->nlmsg_type = type;
	h->nlmsg_seq = seq;
	memcpy(NLMSG_DATA(h), payload, plen);
	f->len = NLMSG_SPACE(plen);
}

/* Each rtnetlink ACK read from the fake fd stands for one request: in SCRIPTED mode it is answered
 * by its own ACK, then a reply of reply_len bytes. */
static void materialise(void)
{
	unsigned char buf[16384];
	static unsigned char payload[9000];
	struct nlmsgerr ack = { .error = 0 };
	int saved = errno;
	while (real_recvfrom(fake_fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL) >= 16) {
		unsigned seq = ((struct nlmsghdr *)buf)->nlmsg_seq;
		if (mode != SCRIPTED)
			continue;
		queue(NLMSG_ERROR, seq, &ack, sizeof ack);
		memcpy(payload, &seq, sizeof seq);
		queue(AUDIT_GET, seq, payload, reply_len);
	}
	errno = saved;
}

static ssize_t deliver(const struct fake *f, void *buf, size_t len, struct sockaddr *addr, socklen_t *alen)
{
	size_t n = f->len < len ? f->len : len;
	memcpy(buf, f->data, n);
	if (addr && alen) {
		struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
		memcpy(addr, &nl, *alen < sizeof nl ? *alen : sizeof nl);
		*alen = sizeof nl;
	}
	return n;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static struct fake record;
	ssize_t n;
	if (fd != fake_fd || fake_fd < 0)
		return real_recvfrom(fd, buf, len, flags, addr, alen);
	materialise();
	if (mode == STREAM && streamed < stream_limit) {
		if (!record.len) {
			struct nlmsghdr *h = (struct nlmsghdr *)record.data;
			h->nlmsg_len = NLMSG_LENGTH(1024);
			h->nlmsg_type = 1300;
			memset(NLMSG_DATA(h), 'r', 1024);
			record.len = NLMSG_SPACE(1024);
		}
		if (!(flags & MSG_PEEK)) {
			streamed++;
			virtual_ns += MS;
		}
		return deliver(&record, buf, len, addr, alen);
	}
	if (head == tail) {
		errno = EAGAIN;
		return -1;
	}
	n = deliver(&ring[head % RING], buf, len, addr, alen);
	if (!(flags & MSG_PEEK))
		head++;
	return n;
}

/* Never blocks: with nothing to deliver, the whole timeout passes in virtual time. */
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	static int (*real)(struct pollfd *, nfds_t, int);
	int ready;
	if (!real)
		real = dlsym(RTLD_NEXT, "poll");
	if (n != 1 || fds[0].fd != fake_fd || fake_fd < 0)
		return real(fds, n, timeout);
	materialise();
	ready = (mode == STREAM && streamed < stream_limit) || head != tail;
	if (!ready && timeout > 0)
		virtual_ns += timeout * MS;
	fds[0].revents = ready ? POLLIN : 0;
	return ready;
}

/* A sleeping library lets virtual time pass instead. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	virtual_ns += req->tv_sec * 1000000000LL + req->tv_nsec;
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	if (flags & TIMER_ABSTIME)
		return EINVAL;
	return nanosleep(req, rem);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
}

static void stream_against_ack_wait(void)
{
	struct audit_reply rep;
	size_t heap = heap_in_use();
	long long start = virtual_ns;
	int rc, kept = 0, overflow = 0;

	mode = STREAM;
	stream_limit = 60000;
	streamed = 0;
	rc = audit_send(fake_fd, AUDIT_USER, "flood", 6);
	printf("ACK wait against a stream of records:\n");
	printf("  ended before the stream did: %d\n", streamed < stream_limit);
	printf("  within the original's 40.5 s (virtual): %d\n", virtual_ns - start <= 40500 * MS + 1000 * MS);
	printf("  heap grew less than 4 MB: %d\n", heap_in_use() < heap + 4 * 1024 * 1024);
	if (h_is_ours())
		h_check(rc == -EAGAIN, "ours: -EAGAIN at the deadline");
	else
		h_check(rc > 0, "the original: success at the first record (N3)");
	fprintf(stderr, "stream: rc %d after %ld datagrams, %.1f s virtual, heap +%zu bytes\n", rc, streamed,
		(virtual_ns - start) / 1e9, heap_in_use() - heap);
	/* What was kept is bounded, and comes out in order. */
	stream_limit = streamed;
	for (;;) {
		rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
		/* Ours reports the records it dropped once, as a receive after an overflow does. */
		if (rc == -ENOBUFS && !overflow++)
			continue;
		if (rc <= 0 || rep.type != 1300 || ++kept == 100000)
			break;
	}
	printf("  records kept for audit_get_reply: at most 1024: %d\n", kept <= 1024);
	fprintf(stderr, "stream: %d records kept, ENOBUFS reported %d times\n", kept, overflow);
	errno = 0;
}

static void unread_replies(void)
{
	struct audit_reply rep;
	size_t heap = heap_in_use();
	unsigned last = 0;
	int i, acked = 0, rc, overflow = 0;

	mode = SCRIPTED;
	for (i = 0; i < 20000; i++) {
		rc = audit_request_status(fake_fd);
		acked += rc > 0;
		if (rc > 0)
			last = rc;
	}
	printf("20,000 status requests, replies unread:\n");
	printf("  all acknowledged: %d\n", acked == 20000);
	printf("  heap grew less than 4 MB: %d\n", heap_in_use() < heap + 4 * 1024 * 1024);
	fprintf(stderr, "unread: %d acknowledged, heap +%zu bytes\n", acked, heap_in_use() - heap);
	/* The reply to the last request is still there (ours; the original's full socket dropped it). */
	for (i = 0; i < 100000; i++) {
		rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
		if (rc == -ENOBUFS && !overflow++)
			continue;
		if (rc <= 0)
			break;
		if (rep.type == AUDIT_GET && rep.nlh->nlmsg_seq == last)
			break;
	}
	if (h_is_ours())
		h_check(rc > 0, "ours: the last request's reply is readable");
	fprintf(stderr, "unread: %d datagrams read before the last reply (rc %d)\n", i, rc);
	errno = 0;
}

int main(void)
{
	h_init();
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	fake_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	h_check(fake_fd >= 0, "route socket");
	stream_against_ack_wait();
	unread_replies();
	close(fake_fd);
	return h_done();
}
