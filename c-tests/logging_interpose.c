/* A program's own audit_send receives what the audit_log_* functions send: the original calls its
 * exported audit_send through the dynamic symbol (upstream's lib/test/audit_logging_test.c, 4.2,
 * relies on it), so a definition in the program (or a preloaded library) replaces it for the
 * library's own calls too. Each function is called with a descriptor that is not a socket; the
 * replacement captures the type, size and text, and answers a chosen value, which the caller
 * sees as the original's rules make of it (1 is success; -ECONNREFUSED is success as 0; -EINVAL
 * of a user type is retried once as AUDIT_USER). */
#include "harness.h"
#include <errno.h>
#include <string.h>

static char sent[MAX_AUDIT_MESSAGE_LENGTH + 1];
static int calls, answer = 1;

int audit_send(int fd, int type, const void *data, unsigned int size)
{
	calls++;
	if (size > sizeof sent - 1)
		size = sizeof sent - 1;
	memcpy(sent, data, size);
	sent[size] = 0;
	printf("  audit_send(fd %d, type %d, size %u): \"%s\"%s\n", fd, type, size, sent,
	       size && ((const char *)data)[size - 1] == 0 ? " (NUL-terminated)" : "");
	return answer;
}

static void each(const char *what)
{
	printf("%s:\n", what);
	calls = 0;
	h_rc("  user", audit_log_user_message(7, AUDIT_USER_LOGIN, "op=login", "host", "127.0.0.1", "pts/9", 1));
	h_rc("  comm", audit_log_user_comm_message(7, AUDIT_USER_CMD, "op=run", "cron", "host", "127.0.0.1", "pts/9", 1));
	h_rc("  acct", audit_log_acct_message(7, AUDIT_USER_CHAUTHTOK, "passwd", "change", "bob", -1, "host", "127.0.0.1",
					    "pts/9", 0));
	h_rc("  avc", audit_log_user_avc_message(7, AUDIT_USER_AVC, "avc: denied", "host", "127.0.0.1", "pts/9", 0));
	h_rc("  semanage", audit_log_semanage_message(7, AUDIT_ROLE_ASSIGN, "semanage", "op", "u", -1, "s", "r", "t",
						    "s0", "r0", "t0", "host", "127.0.0.1", "pts/9", 1));
	h_rc("  command", audit_log_user_command(7, AUDIT_USER_CMD, "ls -l", "pts/9", 1));
	printf("  %d calls\n", calls);
}

int main(void)
{
	h_init();
	each("answered 1");
	answer = -ECONNREFUSED;
	each("answered -ECONNREFUSED");
	answer = -EINVAL;
	each("answered -EINVAL");
	answer = -ENOBUFS;
	each("answered -ENOBUFS");
	return h_done();
}
