/* Differential fuzzing of audit_get_reply: arbitrary datagrams, sender addresses and receive
 * errors, fed through this executable's recvfrom (which wins over libc's for the library too),
 * so both libraries parse exactly the same inputs. Every field of the reply is printed.
 *
 * Deterministic (fixed seed). LIBAUDIT_FUZZ_CASES sets the number of cases (default 4000);
 * docs/reliability.md records the longer runs. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}

/* The next thing recvfrom returns. */
static struct {
	int active;
	unsigned char data[12000];
	size_t len;
	uint32_t sender;   /* nl_pid of the source address */
	socklen_t addrlen; /* the address length reported */
	int error;         /* recvfrom fails with this errno (EINTR: once, then the data) */
	int interrupted;   /* an EINTR was returned */
	int flags;         /* what the library passed */
} feed;

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	struct sockaddr_nl from = { .nl_family = AF_NETLINK };
	size_t n;

	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	if (!feed.active)
		return real(fd, buf, len, flags, addr, alen);
	feed.flags = flags;
	if (feed.error) {
		errno = feed.error;
		if (feed.error == EINTR) {
			feed.error = 0;
			feed.interrupted = 1;
		}
		return -1;
	}
	n = feed.len < len ? feed.len : len;
	memcpy(buf, feed.data, n);
	from.nl_pid = feed.sender;
	if (addr && alen) {
		memcpy(addr, &from, *alen < sizeof from ? *alen : sizeof from);
		*alen = feed.addrlen;
	}
	if (!(flags & MSG_PEEK))
		feed.active = 0;
	return (ssize_t)n;
}

static const int types[] = { 0,    1,    2,    3,    1000, 1001, 1005, 1006, 1010, 1013, 1019, 1099, 1100,
			     1199, 1200, 1299, 1300, 1899, 1900, 2000, 2001, 2099, 2100, 2999, 3000, 65535 };

static void header(uint32_t nlmsg_len, uint16_t type)
{
	struct nlmsghdr h = { .nlmsg_len = nlmsg_len, .nlmsg_type = type, .nlmsg_seq = rnd(), .nlmsg_pid = rnd() % 3 };
	memcpy(feed.data, &h, sizeof h);
}

static void make_case(int kind)
{
	static const size_t big[] = { 8972, 8987, 8988, 8989, 9000, 12000 };
	static const int errors[] = { EAGAIN, ENOBUFS, EBADF, EINTR, ENOTSOCK };
	size_t i;
	uint16_t type = rnd() % 4 ? types[rnd() % (sizeof types / sizeof *types)] : (uint16_t)rnd();

	memset(&feed, 0, sizeof feed);
	feed.active = 1;
	feed.addrlen = sizeof(struct sockaddr_nl);
	switch (kind) {
	case 0: /* random bytes, often shorter than a header */
		feed.len = rnd() % 41;
		break;
	case 1: /* well formed */
		feed.len = NLMSG_HDRLEN + rnd() % 65;
		break;
	case 2: /* header length a little off */
		feed.len = NLMSG_HDRLEN + rnd() % 65;
		break;
	case 3: /* as large as the buffer, or larger: truncated */
		feed.len = big[rnd() % (sizeof big / sizeof *big)];
		break;
	case 4: /* any header length */
		feed.len = rnd() % 200;
		break;
	case 5: /* from a user-space port */
		feed.len = NLMSG_HDRLEN + rnd() % 65;
		feed.sender = 1 + rnd() % 100000;
		break;
	case 6: /* a sender address of another size */
		feed.len = NLMSG_HDRLEN + rnd() % 65;
		feed.addrlen = rnd() % 2 ? 4 : 16;
		break;
	default: /* a failing receive */
		feed.len = NLMSG_HDRLEN + 20;
		feed.error = errors[rnd() % (sizeof errors / sizeof *errors)];
		break;
	}
	for (i = 0; i < feed.len; i++)
		feed.data[i] = (unsigned char)rnd();
	if (kind == 0 || kind == 4)
		return;
	switch (kind) {
	case 2:
		header((uint32_t)(feed.len + rnd() % 41 - 20), type);
		break;
	case 3:
		header(rnd() % 2 ? (uint32_t)feed.len : rnd() % 9000, type);
		break;
	case 4:
		header(rnd(), type);
		break;
	default:
		header((uint32_t)feed.len, type);
		break;
	}
}

static void show_case(int i, int kind, int block, int peek, int fd)
{
	static struct audit_reply rep;
	int rc, e;
	const char *where;
	char off[32];

	memset(&rep, 0, sizeof rep);
	rep.type = -99;
	rep.len = -99;
	rep.nlh = (struct nlmsghdr *)1;
	rep.message = (char *)1;
	errno = 0;
	rc = audit_get_reply(fd, &rep, block, peek);
	e = errno;
	/* Deviation S1: after a receive retried on EINTR that then succeeded, the original leaves
	 * errno EINTR; ours leaves errno as the caller had it. */
	if (feed.interrupted && rc > 0) {
		h_check(e == (h_is_ours() ? 0 : EINTR), "errno after a retried receive");
		e = EINTR;
	}
	if (rep.message == (char *)1)
		where = "untouched";
	else if (rep.message == NULL)
		where = "NULL";
	else {
		snprintf(off, sizeof off, "msg+%ld", (long)((char *)rep.message - (char *)&rep.msg));
		where = off;
	}
	printf("%d kind=%d flags=%#x rc=%d errno=%s type=%d len=%d nlh=%s payload=%s\n", i, kind,
	       feed.flags, rc, e ? strerrorname_np(e) : "0", rep.type, rep.len,
	       rep.nlh == (struct nlmsghdr *)1 ? "untouched" : rep.nlh == &rep.msg.nlh ? "msg" : "other",
	       where);
}

int main(void)
{
	const char *env = getenv("LIBAUDIT_FUZZ_CASES");
	int cases = env ? atoi(env) : 4000, i, fd;

	h_init();
	fd = audit_open();
	h_check(fd >= 0, "audit_open");
	for (i = 0; i < cases; i++) {
		int kind = rnd() % 8;
		int block = rnd() % 3 == 0 ? GET_REPLY_NONBLOCKING : GET_REPLY_BLOCKING;
		int peek = rnd() % 4 == 0 ? MSG_PEEK : 0;
		make_case(kind);
		show_case(i, kind, block, peek, fd);
	}
	feed.active = 0;
	audit_close(fd);
	return h_done();
}
