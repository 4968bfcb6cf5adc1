/* Every pointer argument of the netlink and control exports given NULL. Each case runs in a
 * forked child (the original crashes on some) with its own socket; the child's return value,
 * errno and stderr come back through pipes. Where the original crashes, ours must return the
 * value pinned in docs/deviations.md (S section), and both print the same line. */
#include "null_cases.h"
#include <poll.h>

static struct audit_reply signal_reply;

static long send_null_data(void)
{
	return audit_send(audit_open(), AUDIT_USER, NULL, 0) > 0;
}

static long send_null_data_too_big(void)
{
	return audit_send(audit_open(), AUDIT_USER, NULL, 9000);
}

static long raw_send_null_seq_bad_fd(void)
{
	return __audit_send(-1, AUDIT_GET, NULL, 0, NULL);
}

static long raw_send_null_seq_too_big(void)
{
	return __audit_send(audit_open(), AUDIT_GET, NULL, 9000, NULL);
}

static long raw_send_null_seq(void)
{
	return __audit_send(audit_open(), AUDIT_GET, NULL, 0, NULL);
}

static long reply_null_nothing_queued(void)
{
	return audit_get_reply(audit_open(), NULL, GET_REPLY_NONBLOCKING, 0);
}

static long reply_null_bad_fd(void)
{
	return audit_get_reply(-1, NULL, GET_REPLY_NONBLOCKING, 0);
}

/* A status reply is waiting: the original's recvfrom into address 16 fails with EFAULT, and the
 * kernel drops the datagram unless peeking. Returns the two results and what remains, in digits. */
static long reply_null_queued(void)
{
	int fd = audit_open(), peeked, taken, e;
	struct audit_reply rep;
	audit_request_status(fd);
	poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, 1000);
	peeked = audit_get_reply(fd, NULL, GET_REPLY_NONBLOCKING, MSG_PEEK);
	taken = audit_get_reply(fd, NULL, GET_REPLY_NONBLOCKING, 0);
	e = errno;
	h_check(peeked == -EFAULT && taken == -EFAULT, "EFAULT for a queued reply");
	h_check(audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0) == -EAGAIN, "the reply is gone");
	errno = e;
	return taken;
}

static char buf[200];
/* Through a volatile pointer: the header's access attribute makes a literal NULL a compile error. */
static char *volatile null_buf;

static long signal_null_buf(void)
{
	return audit_format_signal_info(null_buf, sizeof buf, "op", &signal_reply, "res") == NULL;
}

static long signal_null_buf_zero_len(void)
{
	return audit_format_signal_info(null_buf, 0, "op", &signal_reply, "res") == NULL;
}

static long signal_null_strings(void)
{
	char *r = audit_format_signal_info(buf, sizeof buf, NULL, &signal_reply, NULL);
	fprintf(stderr, "%s", buf);
	return r == buf;
}

static long signal_null_rep(void)
{
	strcpy(buf, "untouched");
	return audit_format_signal_info(buf, sizeof buf, "op", NULL, "res") == buf && !strcmp(buf, "untouched");
}

static long signal_null_payload(void)
{
	struct audit_reply rep = signal_reply;
	rep.signal_info = NULL;
	strcpy(buf, "untouched");
	return audit_format_signal_info(buf, sizeof buf, "op", &rep, "res") == buf && !strcmp(buf, "untouched");
}

static long errmsg_null(void)
{
	audit_number_to_errmsg(-2, NULL);
	audit_number_to_errmsg(-1, NULL);
	return 0;
}

static int valid_action_rc;

static long failaction_null(void)
{
	return get_auditfail_action(NULL);
}

static long msg_null_quiet(void)
{
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	audit_msg(LOG_ERR, NULL);
	return 0;
}

static long msg_null_stderr(void)
{
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	audit_msg(LOG_ERR, NULL);
	return 0;
}

static long msg_null_syslog(void)
{
	set_aumessage_mode(MSG_SYSLOG, DBG_YES);
	audit_msg(LOG_DEBUG, NULL);
	return 0;
}

int main(void)
{
	auditfail_t action;

	h_init();
	signal_reply.len = 24;
	signal_reply.signal_info = (struct audit_sig_info *)signal_reply.msg.data;
	signal_reply.signal_info->pid = 1;
	signal_reply.signal_info->uid = 1000;
	valid_action_rc = get_auditfail_action(&action);

	same("audit_send data NULL size 0", send_null_data);
	same("audit_send data NULL size 9000", send_null_data_too_big);
	same("__audit_send seq NULL fd -1", raw_send_null_seq_bad_fd);
	same("__audit_send seq NULL size 9000", raw_send_null_seq_too_big);
	crash_fixed("__audit_send seq NULL", raw_send_null_seq, 0, 0);
	same("audit_get_reply rep NULL fd -1", reply_null_bad_fd);
	same("audit_get_reply rep NULL, nothing queued", reply_null_nothing_queued);
	same("audit_get_reply rep NULL, a reply queued", reply_null_queued);
	crash_fixed("audit_format_signal_info buf NULL", signal_null_buf, 1, 0);
	same("audit_format_signal_info buf NULL len 0", signal_null_buf_zero_len);
	same("audit_format_signal_info op and res NULL", signal_null_strings);
	crash_fixed("audit_format_signal_info rep NULL", signal_null_rep, 1, 0);
	crash_fixed("audit_format_signal_info rep->signal_info NULL", signal_null_payload, 1, 0);
	same("audit_number_to_errmsg opt NULL", errmsg_null);
	crash_fixed("get_auditfail_action failmode NULL", failaction_null, valid_action_rc, 0);
	if (H_HAS_AUDIT_MSG) {
		same("audit_msg fmt NULL, quiet", msg_null_quiet);
		same("audit_msg fmt NULL, to stderr", msg_null_stderr);
		same("audit_msg fmt NULL, to syslog", msg_null_syslog);
	}
	return h_done();
}
