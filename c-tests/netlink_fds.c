/* audit_open, audit_close, audit_send, __audit_send and audit_get_reply on every kind of fd:
 * -1, closed, a pipe, a UDP socket, a UNIX datagram socket; payload sizes at and over the limit;
 * the sequence numbers failures consume (none before a sendto, one after). */
#define _GNU_SOURCE
#include "harness.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static char big[9000];

/* Every netlink entry point on one fd; `name` labels the lines. */
static void on_fd(const char *name, int fd)
{
	struct audit_reply rep;
	char what[96];
	int seq = -7;

	snprintf(what, sizeof what, "%s: audit_send", name);
	h_rc(what, audit_send(fd, AUDIT_GET, NULL, 0));
	snprintf(what, sizeof what, "%s: __audit_send", name);
	h_rc(what, __audit_send(fd, AUDIT_GET, NULL, 0, &seq));
	printf("%s: seq %s\n", name, seq == -7 ? "untouched" : "set");
	snprintf(what, sizeof what, "%s: audit_send 8953", name);
	h_rc(what, audit_send(fd, AUDIT_USER, big, 8953));
	snprintf(what, sizeof what, "%s: get_reply nonblocking", name);
	h_rc(what, audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0));
	snprintf(what, sizeof what, "%s: get_reply peek", name);
	h_rc(what, audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, MSG_PEEK));
	snprintf(what, sizeof what, "%s: request_status", name);
	h_rc(what, audit_request_status(fd));
	snprintf(what, sizeof what, "%s: is_enabled", name);
	h_rc(what, audit_is_enabled(fd));
	snprintf(what, sizeof what, "%s: set_rate_limit", name);
	h_rc(what, audit_set_rate_limit(fd, 0));
	snprintf(what, sizeof what, "%s: set_pid WAIT_YES", name);
	h_rc(what, audit_set_pid(fd, 0, WAIT_YES));
	snprintf(what, sizeof what, "%s: reset_backlog_wait_time_actual", name);
	h_rc(what, audit_reset_backlog_wait_time_actual(fd));
	snprintf(what, sizeof what, "%s: request_features", name);
	h_rc(what, audit_request_features(fd));
	snprintf(what, sizeof what, "%s: request_rules_list_data", name);
	h_rc(what, audit_request_rules_list_data(fd));
	snprintf(what, sizeof what, "%s: request_signal_info", name);
	h_rc(what, audit_request_signal_info(fd));
}

/* A datagram from a sender whose address is not a sockaddr_nl: -EPROTO, errno untouched. */
static void foreign_address(const char *name, int rx, int tx, const struct sockaddr *to, socklen_t tolen)
{
	struct audit_reply rep;
	char what[96];
	h_check(sendto(tx, "hello", 5, 0, to, tolen) == 5, "foreign datagram sent");
	snprintf(what, sizeof what, "%s: get_reply from a foreign address", name);
	h_rc(what, audit_get_reply(rx, &rep, GET_REPLY_BLOCKING, 0));
}

int main(void)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t inlen = sizeof in;
	struct audit_reply rep;
	int fd, closed, p[2], udp, ux[2], rc, seq;
	struct rlimit lim, none = { 0, 0 };

	h_init();
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	dup2(1, 2);

	fd = audit_open();
	h_check(fd >= 0, "audit_open");
	printf("audit_open: close-on-exec %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	printf("audit_open: errno %d\n", errno);

	/* The largest payload goes out; one byte more is refused before a sequence number is used. */
	memset(big, 'x', sizeof big);
	big[8951] = 0;
	rc = audit_send(fd, AUDIT_USER, big, 8952);
	h_check(rc > 0, "8952 bytes accepted");
	h_rc("send 8953", audit_send(fd, AUDIT_USER, big, 8953));
	h_rc("__audit_send 8953", __audit_send(fd, AUDIT_USER, big, 8953, &seq));
	h_rc("send 9000", audit_send(fd, AUDIT_USER, big, 9000));
	h_rc("refusals used no sequence number", audit_send(fd, AUDIT_GET, NULL, 0) - rc);
	audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);

	/* The kernel refuses a user message shorter than 2 bytes: the sequence number is used. */
	rc = __audit_send(fd, AUDIT_USER, "x", 1, &seq);
	h_rc("1-byte user message", rc);
	printf("its seq is the next: %d\n", audit_send(fd, AUDIT_GET, NULL, 0) == seq + 1);
	audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);

	on_fd("fd -1", -1);
	closed = audit_open();
	errno = 0;
	audit_close(closed);
	h_rc("audit_close", 0);
	audit_close(closed); /* close(2)'s EBADF reaches the caller */
	h_rc("audit_close again", 0);
	on_fd("closed fd", closed);

	h_check(pipe(p) == 0, "pipe");
	on_fd("pipe", p[0]);
	on_fd("pipe write end", p[1]);

	udp = socket(AF_INET, SOCK_DGRAM, 0);
	h_check(bind(udp, (struct sockaddr *)&in, sizeof in) == 0, "bind udp");
	getsockname(udp, (struct sockaddr *)&in, &inlen);
	on_fd("udp", udp);
	foreign_address("udp", udp, udp, (struct sockaddr *)&in, inlen);

	h_check(socketpair(AF_UNIX, SOCK_DGRAM, 0, ux) == 0, "socketpair");
	on_fd("unix dgram", ux[0]);
	foreign_address("unix dgram", ux[0], ux[1], NULL, 0);

	/* audit_open failing: no fd left to give. */
	getrlimit(RLIMIT_NOFILE, &lim);
	setrlimit(RLIMIT_NOFILE, &none);
	h_rc("audit_open without fds", audit_open());
	setrlimit(RLIMIT_NOFILE, &lim);

	audit_close(fd);
	errno = EPERM; /* a negative fd is not closed: errno untouched */
	audit_close(-1);
	h_rc("audit_close(-1)", 0);
	audit_close(-5);
	h_rc("after audit_close", audit_send(fd, AUDIT_GET, NULL, 0));
	return h_done();
}
