/* Every pointer argument of the logging exports and the encoders given NULL (c-tests/null_cases.h
 * runs each in a forked child). Each case prints what it returned and the bytes it sent; only
 * audit_log_user_command's NULL command crashes the original (deviation L1). */
#include "null_cases.h"
#include <stdlib.h>

/* Through a volatile pointer, so that the compiler cannot see the NULL. */
static const char *volatile null_text;
static char *volatile null_buf;

/* A sequence number says only that the kernel accepted the message. */
static long sent(const char *label, int rc)
{
	fflush(stderr);
	h_print_sent(label);
	fflush(stdout);
	return rc > 0 ? 1 : rc;
}

static int fd(void)
{
	h_capture(1);
	return audit_open();
}

static long needs_encoding_null(void)
{
	return audit_value_needs_encoding(null_text, 5) * 10 + audit_value_needs_encoding(null_text, 0);
}

static long encode_null_final(void)
{
	return audit_encode_value(null_buf, "abc", 3) == NULL;
}

static long encode_null_buf(void)
{
	char out[16] = "untouched";
	char *r = audit_encode_value(out, null_text, 3);
	fprintf(stderr, "[%s]", out);
	return r == out;
}

static long nv(const char *name, const char *value, unsigned vlen)
{
	char *s = audit_encode_nv_string(name, value, vlen);
	fprintf(stderr, "%s", s ? s : "NULL");
	free(s);
	return s != NULL;
}

static long nv_null_name(void)
{
	return nv(null_text, "a b", 0);
}

static long nv_null_value(void)
{
	return nv("acct", null_text, 0);
}

static long nv_null_value_with_length(void)
{
	return nv("acct", null_text, 4);
}

static long nv_null_both(void)
{
	return nv(null_text, null_text, 0);
}

static void crash_fixed_rc1(const char *name, long (*fn)(void))
{
	crash_fixed(name, fn, 1, 0);
}

static long user_message_all_null(void)
{
	return sent("user_message", audit_log_user_message(fd(), AUDIT_USER, null_text, null_text, null_text, null_text, 1));
}

static long comm_message_all_null(void)
{
	return sent("comm_message", audit_log_user_comm_message(fd(), AUDIT_USER, null_text, null_text, null_text, null_text,
								  null_text, 1));
}

static long acct_message_all_null(void)
{
	return sent("acct_message", audit_log_acct_message(fd(), AUDIT_USER_CHAUTHTOK, null_text, null_text, null_text, -1,
							     null_text, null_text, null_text, 1));
}

static long acct_message_null_op_with_name(void)
{
	return sent("acct_message name", audit_log_acct_message(fd(), AUDIT_USER_CHAUTHTOK, "prog", null_text, "bob", -1,
								  null_text, null_text, null_text, 0));
}

static long avc_message_all_null(void)
{
	return sent("avc_message",
		    audit_log_user_avc_message(fd(), AUDIT_USER_AVC, null_text, null_text, null_text, null_text, 0));
}

static long semanage_message_all_null(void)
{
	return sent("semanage_message",
		    audit_log_semanage_message(fd(), AUDIT_ROLE_ASSIGN, null_text, null_text, null_text, -1, null_text,
					       null_text, null_text, null_text, null_text, null_text, null_text, null_text,
					       null_text, 1));
}

static long semanage_message_null_with_name(void)
{
	return sent("semanage_message name",
		    audit_log_semanage_message(fd(), AUDIT_ROLE_ASSIGN, null_text, null_text, "bob", -1, null_text,
					       null_text, null_text, null_text, null_text, null_text, null_text, null_text,
					       null_text, 0));
}

static long command_null_tty(void)
{
	return sent("user_command", audit_log_user_command(fd(), AUDIT_USER_CMD, "ls -l", null_text, 1));
}

static long command_null(void)
{
	return audit_log_user_command(audit_open(), AUDIT_USER_CMD, null_text, null_text, 1);
}

int main(void)
{
	h_init();
	same("audit_value_needs_encoding NULL", needs_encoding_null);
	same("audit_encode_value final NULL", encode_null_final);
	same("audit_encode_value buf NULL", encode_null_buf);
	/* 4.1 on, the original dereferences a NULL name; ours prints "(null)" as before. */
	(h_line() >= 40102 ? crash_fixed_rc1 : same)("audit_encode_nv_string name NULL", nv_null_name);
	same("audit_encode_nv_string value NULL", nv_null_value);
	same("audit_encode_nv_string value NULL, vlen 4", nv_null_value_with_length);
	(h_line() >= 40102 ? crash_fixed_rc1 : same)("audit_encode_nv_string both NULL", nv_null_both);
	same("audit_log_user_message all NULL", user_message_all_null);
	same("audit_log_user_comm_message all NULL", comm_message_all_null);
	same("audit_log_acct_message all NULL", acct_message_all_null);
	same("audit_log_acct_message op NULL, name", acct_message_null_op_with_name);
	same("audit_log_user_avc_message all NULL", avc_message_all_null);
	same("audit_log_semanage_message all NULL", semanage_message_all_null);
	same("audit_log_semanage_message all NULL but name", semanage_message_null_with_name);
	same("audit_log_user_command tty NULL", command_null_tty);
	crash_fixed("audit_log_user_command command NULL", command_null, -1, EINVAL);
	return h_done();
}
