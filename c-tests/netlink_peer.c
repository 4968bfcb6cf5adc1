/* ACK matching and reply parsing against a fake kernel, and the two ways the real kernel's queue
 * can hold something other than the ACK a request waits for.
 *
 * The fake kernel: the library is given a NETLINK_ROUTE socket as its "audit" fd. Its requests
 * really go out (the harness prints their bytes) but reach only rtnetlink, which answers each with
 * an EOPNOTSUPP ACK carrying the request's sequence number; nothing reaches the audit subsystem.
 * This program's recvfrom() and poll() replace those ACKs, for that fd only, with scripted
 * datagrams "from the kernel" (port 0). So audit_set_loginuid_immutable, feature locks and
 * malformed replies are exercised without touching the real kernel's audit state. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct fake {
	unsigned char data[9100];
	size_t len;
	unsigned pid;
	int seq_delta, patch_seq;
};

static int fake_fd = -1;
static struct fake queue[32], plan[8];
static int qhead, qtail, nplan;

static ssize_t real_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	return real(fd, buf, len, flags, addr, alen);
}

/* Each rtnetlink ACK read from the fake fd stands for one request: its plan becomes the queue. */
static void materialise(void)
{
	unsigned char buf[16384];
	int saved = errno, i;
	while (real_recvfrom(fake_fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL) >= 16) {
		unsigned seq = ((struct nlmsghdr *)buf)->nlmsg_seq;
		for (i = 0; i < nplan; i++) {
			struct fake *f = &queue[qtail++ % 32];
			*f = plan[i];
			if (f->patch_seq)
				((struct nlmsghdr *)f->data)->nlmsg_seq = seq + f->seq_delta;
		}
		nplan = 0;
	}
	errno = saved;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	struct fake *f;
	size_t n;
	if (fd != fake_fd || fake_fd < 0)
		return real_recvfrom(fd, buf, len, flags, addr, alen);
	materialise();
	if (qhead == qtail) {
		errno = EAGAIN;
		return -1;
	}
	f = &queue[qhead % 32];
	n = f->len < len ? f->len : len;
	memcpy(buf, f->data, n);
	if (addr && alen) {
		struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = f->pid };
		memcpy(addr, &nl, *alen < sizeof nl ? *alen : sizeof nl);
		*alen = sizeof nl;
	}
	if (!(flags & MSG_PEEK))
		qhead++;
	return n;
}

/* Never waits: every scripted request has its answer queued by the time anyone polls. */
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	static int (*real)(struct pollfd *, nfds_t, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "poll");
	if (n == 1 && fds[0].fd == fake_fd && fake_fd >= 0) {
		materialise();
		fds[0].revents = qhead != qtail ? POLLIN : 0;
		return qhead != qtail;
	}
	return real(fds, n, timeout);
}

/* A datagram of `len` bytes whose header claims `nlmsg_len` (0: the true length). */
static struct fake *datagram(struct fake *f, int type, const void *payload, size_t plen, size_t nlmsg_len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)f->data;
	memset(f, 0, sizeof *f);
	h->nlmsg_len = nlmsg_len ? nlmsg_len : NLMSG_LENGTH(plen);
	h->nlmsg_type = type;
	if (plen)
		memcpy(NLMSG_DATA(h), payload, plen);
	f->len = NLMSG_SPACE(plen);
	return f;
}

/* Scripts the answer to the next request: a reply of `type` (patch: carries the request's seq). */
static void plan_reply(int type, const void *payload, size_t plen)
{
	struct fake *f = datagram(&plan[nplan++], type, payload, plen, 0);
	f->patch_seq = 1;
}

/* Scripts an ACK with `error` for the request's seq + delta. */
static void plan_ack(int error, int delta)
{
	struct nlmsgerr e = { .error = error };
	struct fake *f = datagram(&plan[nplan++], NLMSG_ERROR, &e, sizeof e, 0);
	f->patch_seq = 1;
	f->seq_delta = delta;
}

/* Queues a datagram for the next read, exactly `len` bytes long. */
static void push(const void *bytes, size_t len)
{
	struct fake *f = &queue[qtail++ % 32];
	memset(f, 0, sizeof *f);
	memcpy(f->data, bytes, len);
	f->len = len;
}

static void show_reply(const char *what, int rc, struct audit_reply *rep)
{
	printf("%s: rc=%d errno=%s type=%d len=%d nlh ok %d payload %s\n", what, rc,
	       errno ? strerrorname_np(errno) : "0", rep->type, rep->len, rep->nlh == &rep->msg.nlh,
	       rep->message == NULL ? "NULL" : rep->message == NLMSG_DATA(rep->nlh) ? "data" : "other");
	errno = 0;
}

/* Runs fn in a child; returns the signal that ended it, or 0. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void null_signal_reply(void)
{
	char buf[8] = "keep";
	char *r = audit_format_signal_info(buf, sizeof buf, "op", NULL, "res");
	printf("  format_signal_info(NULL rep): buf returned %d, untouched %d\n", r == buf, !strcmp(buf, "keep"));
}

static void fake_peer(void)
{
	static const unsigned types[] = { 2, 3, 1000, 1001, 1005, 1006, 1010, 1013, 1019, 1099, 1100, 1199,
					  1200, 1299, 1300, 1899, 1900, 2000, 2099, 2100, 2999, 3000 };
	struct audit_reply rep;
	struct audit_status st;
	unsigned char big[9100];
	char buf[256];
	struct { struct audit_sig_info s; char ctx[32]; } sig;
	volatile int negative = -1; /* hidden from the header's access attribute */
	unsigned i;
	int rc;

	fake_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	h_check(fake_fd >= 0, "route socket");

	/* Requests and their ACKs: the bytes on the wire, and what each ACK value becomes. */
	h_capture(1);
	plan_ack(0, 0);
	h_rc("set_loginuid_immutable, ACK 0", audit_set_loginuid_immutable(fake_fd) > 0);
	plan_ack(-EPERM, 0);
	h_rc("set_loginuid_immutable, ACK -EPERM", audit_set_loginuid_immutable(fake_fd));
	plan_ack(0, 0);
	h_rc("set_feature 1 on lock", audit_set_feature(fake_fd, 1, 1, 1) > 0);
	plan_ack(0, 0);
	h_rc("set_feature 0 off lock", audit_set_feature(fake_fd, 0, 0, 1) > 0);
	plan_ack(0, 0);
	h_rc("set_feature 31", audit_set_feature(fake_fd, 31, 7, 0) > 0);
	plan_ack(0, 0);
	h_rc("set_feature 32", audit_set_feature(fake_fd, 32, 1, 1) > 0);
	plan_ack(0, 0);
	h_rc("set_feature 33", audit_set_feature(fake_fd, 33, 0, 1) > 0);
	plan_ack(-EINVAL, 0);
	h_rc("set_feature 100, ACK -EINVAL", audit_set_feature(fake_fd, 100, 1, 0));
	plan_ack(5, 0);
	h_rc("reset_lost, ACK 5", audit_reset_lost(fake_fd));
	plan_ack(1, 0);
	h_rc("audit_send, ACK 1", audit_send(fake_fd, AUDIT_USER, "hi", 3));
	plan_ack(-ENOBUFS, 0);
	h_rc("request_status, ACK -ENOBUFS", audit_request_status(fake_fd));
	plan_ack(-EINVAL, 0);
	h_rc("rules list, ACK -EINVAL (not logged)", audit_request_rules_list_data(fake_fd));
	h_capture(0);
	h_print_sent("requests to the fake kernel");

	/* audit_is_enabled on what the kernel might answer. */
	memset(&st, 0, sizeof st);
	st.enabled = 2;
	plan_ack(0, 0);
	plan_reply(AUDIT_GET, &st, sizeof st);
	h_rc("is_enabled, status enabled=2", audit_is_enabled(fake_fd));
	plan_ack(0, 0);
	plan_reply(1300, "record", 7);
	plan_reply(AUDIT_GET, &st, sizeof st);
	h_rc("is_enabled, a record first", audit_is_enabled(fake_fd));
	plan_ack(0, 0);
	plan_reply(NLMSG_DONE, NULL, 0);
	h_rc("is_enabled, done instead of status", audit_is_enabled(fake_fd));
	plan_ack(0, 0);
	h_rc("is_enabled, no status at all", audit_is_enabled(fake_fd));
	plan_ack(-ECONNREFUSED, 0);
	h_rc("is_enabled, ACK -ECONNREFUSED", audit_is_enabled(fake_fd));
	plan_ack(-EPERM, 0);
	h_rc("is_enabled, ACK -EPERM with CAP_AUDIT_CONTROL", audit_is_enabled(fake_fd));
	plan_ack(-EIO, 0);
	h_rc("is_enabled, ACK -EIO", audit_is_enabled(fake_fd));

	/* A reply of every kind: where audit_reply's union points. */
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		char what[32];
		datagram(&queue[qtail++ % 32], types[i], "payload.", 8, 0);
		memset(&rep, 0, sizeof rep);
		snprintf(what, sizeof what, "type %u", types[i]);
		show_reply(what, audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	}

	/* Malformed and truncated replies. */
	memset(big, 'b', sizeof big);
	datagram(&queue[qtail++ % 32], 1300, big, 9000, 0);
	memset(&rep, 0, sizeof rep);
	show_reply("9016 bytes (truncated to 8988)", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	datagram(&queue[qtail++ % 32], 1300, big, 8972, 0);
	show_reply("8988 bytes exactly", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	datagram(&queue[qtail++ % 32], 1300, big, 100, 200);
	show_reply("header claims 200 of 116", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	datagram(&queue[qtail++ % 32], 1300, big, 100, 8);
	show_reply("header claims 8", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	{
		struct nlmsghdr h = { .nlmsg_len = 8, .nlmsg_type = 1300 };
		push(&h, 8);
		memset(&rep, 0, sizeof rep);
		show_reply("8-byte datagram", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
		/* Header bytes that did not come read as 0 in ours, as the buffer's old contents in the
		 * original. */
		push(&h, 6);
		memset(&rep, 0xaa, sizeof rep);
		rc = audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0);
		h_check(rc == -EBADE && rep.type == 1300, "6 bytes: EBADE, type");
		if (h_is_ours())
			h_check(rep.msg.nlh.nlmsg_flags == 0 && rep.msg.nlh.nlmsg_seq == 0, "ours: zeros");
		else
			h_check(rep.msg.nlh.nlmsg_seq == 0xaaaaaaaa, "the original: the old contents");
		printf("6-byte datagram: pinned\n");
		errno = 0;
		push(&h, 0);
		memset(&rep, 0, sizeof rep);
		show_reply("empty datagram", audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0), &rep);
	}
	datagram(&queue[qtail++ % 32], AUDIT_GET, &st, sizeof st, 0);
	show_reply("peek", audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, MSG_PEEK), &rep);
	show_reply("then read", audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0), &rep);
	show_reply("then nothing", audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0), &rep);
	datagram(&queue[qtail++ % 32], 1300, "spoof", 5, 0)->pid = 4242;
	show_reply("from port 4242", audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0), &rep);

	/* Signal info with a security context, from a fake auditd (this process). */
	memset(&sig, 0, sizeof sig);
	sig.s.uid = 1000;
	sig.s.pid = getpid();
	strcpy(sig.ctx, "system_u:system_r:auditd_t");
	plan_ack(0, 0);
	plan_reply(AUDIT_SIGNAL_INFO, &sig, sizeof sig.s + strlen(sig.ctx) + 1);
	h_check(audit_request_signal_info(fake_fd) > 0, "request_signal_info");
	rc = audit_get_reply(fake_fd, &rep, GET_REPLY_BLOCKING, 0);
	show_reply("signal info", rc, &rep);
	{
		char ses[32], expect[256];
		FILE *f = fopen("/proc/self/sessionid", "r");
		h_check(f && fgets(ses, sizeof ses, f), "sessionid");
		fclose(f);
		snprintf(expect, sizeof expect, "op=stop auid=1000 uid=%u ses=%s pid=%d subj=system_u:system_r:auditd_t res=ok",
			 (unsigned)geteuid(), ses, getpid());
		audit_format_signal_info(buf, sizeof buf, "stop", &rep, "ok");
		printf("formatted with context as expected: %d\n", !strcmp(buf, expect));
		rep.len = 24;
		audit_format_signal_info(buf, sizeof buf, "stop", &rep, "ok");
		printf("len 24, no subj: %d\n", strstr(buf, "subj=") == NULL && strstr(buf, " pid=") != NULL);
		for (i = 0; i < 6; i++) {
			static const int sizes[] = { 1, 2, 5, 10, 50, 0 };
			memset(buf, 'Z', 64);
			buf[63] = 0;
			audit_format_signal_info(buf, sizes[i], "stop", &rep, "ok");
			printf("len %d: [%.*s]\n", sizes[i], 12, buf);
		}
		/* A negative length: the original's snprintf takes it as huge and writes the whole text;
		 * ours refuses to write without a bound. */
		memset(buf, 'Z', sizeof buf);
		buf[sizeof buf - 1] = 0;
		audit_format_signal_info(buf, negative, "stop", &rep, "ok");
		if (h_is_ours())
			h_check(buf[0] == 'Z', "ours leaves buf alone for a negative length");
		else
			h_check(!strncmp(buf, "op=stop", 7), "the original writes without a bound");
		printf("negative length handled\n");
		rep.signal_info->pid = 0;
		rep.signal_info->uid = -1;
		printf("pid 0: %s\n", audit_format_signal_info(buf, sizeof buf, NULL, &rep, NULL));
	}

	/* Non-ACK datagrams ahead of the ACK (deviation N3): the original ends the wait at the first
	 * one with success and leaves the ACK queued; ours keeps them for audit_get_reply and takes
	 * the request's own ACK. Here the record answers an earlier request (its sequence number). */
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	plan_reply(1300, "first", 6);
	plan[nplan - 1].seq_delta = -1;
	plan_ack(-EPERM, 0);
	rc = audit_send(fake_fd, AUDIT_USER, "hi", 3);
	if (h_is_ours())
		h_check(rc == -EPERM, "ours: the request's own ACK");
	else
		h_check(rc > 0, "the original: success at the record");
	rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
	h_check(rc > 0 && rep.type == 1300 && !strcmp(rep.message, "first"), "the record comes next");
	rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
	if (h_is_ours())
		h_check(rc == -EAGAIN, "ours: the ACK was consumed");
	else
		h_check(rc > 0 && rep.type == NLMSG_ERROR && rep.error->error == -EPERM, "the original: ACK left queued");
	printf("record ahead of the ACK: pinned\n");
	errno = 0;

	/* The request's own answer ahead of its ACK (deviation N3): the kernel answers only a request
	 * it accepted (its ACK may have been read by another reader of the socket, a forked child), so
	 * both end the wait with success there and keep the answer for audit_get_reply. The original
	 * leaves the ACK queued, and audit_get_reply hands it out next; ours swallows the late ACK of
	 * a request its answer settled. */
	plan_reply(1300, "answer", 7);
	plan_ack(-EPERM, 0);
	rc = audit_send(fake_fd, AUDIT_USER, "hi", 3);
	h_check(rc > 0, "success at the request's own answer");
	rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
	h_check(rc > 0 && rep.type == 1300 && !strcmp(rep.message, "answer"), "the answer comes next");
	rc = audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
	if (h_is_ours())
		h_check(rc == -EAGAIN, "ours: the late ACK swallowed");
	else
		h_check(rc > 0 && rep.type == NLMSG_ERROR && rep.error->error == -EPERM, "the original: ACK left queued");
	printf("answer ahead of the ACK: pinned\n");
	errno = 0;

	/* A stale ACK ahead of the request's own (deviation N3). */
	plan_ack(-EPERM, -1);
	plan_ack(0, 0);
	rc = audit_send(fake_fd, AUDIT_USER, "hi", 3);
	if (h_is_ours())
		h_check(rc > 0, "ours: the request's own ACK");
	else
		h_check(rc == -EPERM, "the original: the stale ACK's error");
	audit_get_reply(fake_fd, &rep, GET_REPLY_NONBLOCKING, 0);
	printf("stale ACK: pinned\n");
	errno = 0;
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	h_rc("queue empty", qtail - qhead);

	/* A NULL reply to format (deviation N8): the original crashes, ours refuses. */
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	if (h_is_ours()) {
		null_signal_reply();
	} else {
		h_check(in_child(null_signal_reply) == SIGSEGV, "the original crashes");
		printf("  format_signal_info(NULL rep): buf returned 1, untouched 1\n");
	}
	close(fake_fd);
	fake_fd = -1;
}

/* Reads what the original left queued on fd after a failed status request, up to and including
 * the kernel's status reply, and checks it is `expect` (each datagram's type, ":error" for an
 * ACK). The kernel sends that reply from a thread of its own, which may run after the request
 * has returned, after the fd is closed even: then it reaches the next socket bound to the same
 * port (the pid: every new library fd here gets it), ahead of that socket's own ACK, and the
 * next case sees a different queue. Read here, it cannot. */
static void left_queued(int fd, const char *expect)
{
	unsigned char buf[9000];
	char got[128] = "";
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;
	do {
		if (poll(&p, 1, 5000) != 1 || (n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) < (ssize_t)sizeof *h) {
			strcat(got, " (no status reply)");
			break;
		}
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u", *got ? " " : "", h->nlmsg_type);
		if (h->nlmsg_type == NLMSG_ERROR)
			snprintf(got + strlen(got), sizeof got - strlen(got), ":%d",
				 ((struct nlmsgerr *)NLMSG_DATA(h))->error);
	} while (h->nlmsg_type != AUDIT_GET && strlen(got) < sizeof got - 32);
	if (strcmp(got, expect))
		printf("left queued: %s, expected %s\n", got, expect);
	h_check(!strcmp(got, expect), "the original: what it left queued");
}

/* The library's fd and its netlink port, once bound by a first request. */
static int open_bound(unsigned *port)
{
	struct audit_reply rep;
	struct sockaddr_nl a;
	socklen_t alen = sizeof a;
	int fd = audit_open();
	h_check(audit_request_status(fd) > 0, "first request");
	h_check(audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) > 0, "status reply");
	getsockname(fd, (struct sockaddr *)&a, &alen);
	*port = a.nl_pid;
	return fd;
}

static void real_kernel(void)
{
	struct audit_reply rep;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr h = { .nlmsg_len = 16, .nlmsg_type = 1300 };
	struct { struct nlmsghdr h; struct audit_status s; } req;
	int fd, other = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), rc;

	/* A datagram from another process's netlink socket to the library's port. */
	fd = open_bound(&to.nl_pid);
	h_check(sendto(other, &h, 16, 0, (struct sockaddr *)&to, sizeof to) == 16, "spoof sent");
	errno = 0;
	h_rc("get_reply of a datagram from a user port", audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0));
	h_rc("then nothing", audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0));

	set_aumessage_mode(MSG_QUIET, DBG_NO);
	/* The same, queued before a request (deviation N5): the original fails the request with
	 * -EINVAL and leaves the datagram and the ACK queued; ours drops it and succeeds. */
	h_check(sendto(other, &h, 16, 0, (struct sockaddr *)&to, sizeof to) == 16, "spoof sent");
	rc = audit_request_status(fd);
	if (h_is_ours()) {
		h_check(rc > 0, "ours: the request succeeds");
		h_check(audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) > 0 && rep.type == AUDIT_GET, "status next");
	} else {
		h_check(rc == -EINVAL, "the original: -EINVAL");
		left_queued(fd, "1300 2:0 1000");
	}
	h_check(audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0) == -EAGAIN, "nothing left");
	printf("user port ahead of the ACK: pinned\n");
	errno = 0;
	audit_close(fd);

	/* A stale error ACK left by a raw request on the library's fd (deviation N3): the original
	 * credits it to the next request; ours answers with the request's own ACK. */
	fd = open_bound(&to.nl_pid);
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = sizeof req;
	req.h.nlmsg_type = AUDIT_SET;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 5000;
	req.s.mask = AUDIT_STATUS_ENABLED;
	req.s.enabled = 3; /* refused with EINVAL: never 2 */
	to.nl_pid = 0;
	h_check(sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&to, sizeof to) == sizeof req, "raw request");
	rc = audit_request_status(fd);
	if (h_is_ours()) {
		h_check(rc > 0, "ours: its own sequence number");
		h_check(audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) > 0 && rep.type == AUDIT_GET, "status next");
	} else {
		h_check(rc == -EINVAL, "the original: the stale -EINVAL");
		left_queued(fd, "2:0 1000");
	}
	h_check(audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0) == -EAGAIN, "nothing left");
	printf("stale error ACK: pinned\n");
	errno = 0;
	audit_close(fd);

	/* A stale success ACK ahead of a request the kernel refuses. */
	fd = open_bound(&to.nl_pid);
	req.s.mask = 0;
	to.nl_pid = 0;
	h_check(sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&to, sizeof to) == sizeof req, "raw request");
	rc = audit_set_enabled(fd, 3);
	if (h_is_ours())
		h_check(rc == -EINVAL, "ours: the refusal");
	else
		h_check(rc > 0, "the original: the stale success");
	printf("stale success ACK: pinned\n");
	errno = 0;
	audit_close(fd);
	/* No reply buffer: the original hands recvfrom a bad address, the kernel answers EFAULT and
	 * drops the datagram; nothing queued: EAGAIN. */
	fd = open_bound(&to.nl_pid);
	h_check(audit_request_status(fd) > 0, "status request");
	h_rc("get_reply(NULL) peek", audit_get_reply(fd, NULL, GET_REPLY_BLOCKING, MSG_PEEK));
	h_rc("get_reply(NULL)", audit_get_reply(fd, NULL, GET_REPLY_BLOCKING, 0));
	h_rc("get_reply(NULL) on nothing", audit_get_reply(fd, NULL, GET_REPLY_NONBLOCKING, 0));
	h_rc("nothing left", audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0));
	audit_close(fd);
	close(other);
}

int main(void)
{
	h_init();
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	dup2(1, 2);
	fake_peer();
	real_kernel();
	return h_done();
}
