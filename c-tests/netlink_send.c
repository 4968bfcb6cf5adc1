/* audit_send and __audit_send: return values, errno, and the bytes of each request. */
#include "harness.h"
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char big[9000];
	struct audit_reply rep;
	int fd, seq = -7, rc;

	h_init();
	fd = audit_open();
	h_check(fd >= 0, "audit_open");

	h_capture(1);
	h_rc("send fd -1", audit_send(-1, AUDIT_GET, NULL, 0));
	h_rc("send 8953 bytes", audit_send(fd, AUDIT_USER, big, 8953));
	h_rc("get status", audit_send(fd, AUDIT_GET, NULL, 0));
	rc = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
	h_check(rc > 0 && rep.type == AUDIT_GET && rep.status == NLMSG_DATA(rep.nlh), "status reply");
	h_rc("__audit_send", __audit_send(fd, AUDIT_GET, NULL, 0, &seq));
	printf("seq=%d\n", seq);
	audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
	h_rc("NULL data, 44 bytes", audit_send(fd, AUDIT_SET, NULL, 44));
	memset(big, 'x', sizeof big);
	h_rc("unknown type 999", audit_send(fd, 999, big, 3));
	h_capture(0);
	h_print_sent("requests");

	/* Deviation: a size whose NLMSG_SPACE wraps past 2^32 is sent by the original as an empty
	 * message (and, with a non-NULL pointer, overruns its stack buffer); ours refuses it. */
	rc = audit_send(fd, AUDIT_USER, NULL, 4294967295u);
	if (h_is_ours() || h_line() >= 40201)
		h_check(rc == -EINVAL && errno == EINVAL, "ours and 4.2.1 refuse a wrapping size with EINVAL");
	else
		h_check(rc > 0, "the original before 4.2 sends a wrapping size as an empty message");
	errno = 0;

	audit_close(fd);
	h_rc("send on closed fd", audit_send(fd, AUDIT_GET, NULL, 0));
	audit_close(-1);
	return h_done();
}
