/* The audit_log_* functions over a corpus of inputs: return value, errno, the bytes sent and
 * the records the kernel logged. Then the same as uid 65534 (EPERM) and inside a user
 * namespace (ECONNREFUSED). */
#define _GNU_SOURCE
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd;

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = 0;
	return s;
}

static const char *hosts[] = { NULL, "", "localhost", "192.0.2.7", "no-such-host.invalid", "host with space" };
static const char *addrs[] = { NULL, "", "10.1.2.3", "::1", "2001:db8:0:0:0:0:0:1-and-far-too-long-to-be-an-address" };
static const char *ttys[] = { NULL, "", "pts/7", "tty1", "/dev/tty3", "ssh", "console", "/dev/pts/5" };
static const char *texts[] = { "op=login acct=\"root\"", "", NULL, "with space \"quoted\"", "caf\xc3\xa9", "ctl\t\x01\x7f" };
static const char *names[] = { NULL, "", "bob", "a b", "x\"y", "\xc3\xa9t\xc3\xa9", "abcdefghijklmnopqrstuvwxyz0123456789ABCD" };

static void user_messages(void)
{
	unsigned i, j;
	char label[64];
	for (i = 0; i < sizeof hosts / sizeof *hosts; i++)
		for (j = 0; j < sizeof addrs / sizeof *addrs; j++) {
			snprintf(label, sizeof label, "user host %u addr %u", i, j);
			H_CALL(label, audit_log_user_message(fd, AUDIT_USER_LOGIN, "op=login", hosts[i], addrs[j], "ssh", i & 1));
		}
	for (i = 0; i < sizeof ttys / sizeof *ttys; i++) {
		snprintf(label, sizeof label, "user tty %u", i);
		H_CALL(label, audit_log_user_message(fd, AUDIT_USER_AUTH, "op=auth", NULL, "10.0.0.1", ttys[i], 1));
	}
	for (i = 0; i < sizeof texts / sizeof *texts; i++) {
		snprintf(label, sizeof label, "user text %u", i);
		H_CALL(label, audit_log_user_message(fd, AUDIT_USER, texts[i], "h", "a", "t", 2));
	}
	H_CALL("user type 1300", audit_log_user_message(fd, 1300, "op=x", "h", "a", "t", 1));
	H_CALL("user type 999", audit_log_user_message(fd, 999, "op=x", "h", "a", "t", 1));
	H_CALL("user type 2300", audit_log_user_message(fd, AUDIT_ROLE_ASSIGN, "op=x", "h", "a", "t", 1));
	H_CALL("user fd -1", (errno = EDOM, 0) + audit_log_user_message(-1, AUDIT_USER, "op=x", "h", "a", "t", 1));
	H_CALL("user fd 1000", audit_log_user_message(1000, AUDIT_USER, "op=x", "h", "a", "t", 1));
}

static void comm_messages(void)
{
	static const char *comms[] = { NULL, "", "cron", "a b", "q\"x", "\xff\x80", "twenty-character-ish-name" };
	char *long_plain = repeat('c', 8500), *long_space = repeat(' ', 300);
	unsigned i;
	char label[64];
	for (i = 0; i < sizeof comms / sizeof *comms; i++) {
		snprintf(label, sizeof label, "comm %u", i);
		H_CALL(label, audit_log_user_comm_message(fd, AUDIT_USER_CMD, "op=run", comms[i], "localhost", NULL, "pts/2", 1));
	}
	/* The quoted comm is cut to 8191 bytes by the original (closing quote lost). */
	H_CALL("comm 8500 plain", audit_log_user_comm_message(fd, AUDIT_USER, "m", long_plain, "h", "a", "t", 0));
	H_CALL("comm 300 spaces", audit_log_user_comm_message(fd, AUDIT_USER, "m", long_space, "h", "a", "t", 0));
	H_CALL("comm tty none", audit_log_user_comm_message(fd, AUDIT_USER, "m", "c", NULL, NULL, NULL, 0));
	H_CALL("comm fd -1", (errno = EDOM, 0) + audit_log_user_comm_message(-1, AUDIT_USER, "m", "c", NULL, NULL, NULL, 0));
	free(long_plain);
	free(long_space);
}

static void acct_messages(void)
{
	static const char *programs[] = { "useradd", "\"quoted\"", "", "with space" };
	unsigned i;
	char label[64];
	char *long_program = repeat('p', 8300);
	H_CALL("acct pgname NULL first", audit_log_acct_message(fd, AUDIT_ADD_USER, NULL, "adding-user", "bob", -1, NULL, NULL, NULL, 1));
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(label, sizeof label, "acct name %u id -1", i);
		H_CALL(label, audit_log_acct_message(fd, AUDIT_ADD_USER, NULL, "adding-user", names[i], -1, "localhost", NULL, "pts/1", 1));
		snprintf(label, sizeof label, "acct name %u id 1000", i);
		H_CALL(label, audit_log_acct_message(fd, AUDIT_DEL_USER, NULL, "deleting-user", names[i], 1000, NULL, "10.9.8.7", "", 0));
	}
	for (i = 0; i < sizeof programs / sizeof *programs; i++) {
		snprintf(label, sizeof label, "acct pgname %u", i);
		H_CALL(label, audit_log_acct_message(fd, AUDIT_USER_CHAUTHTOK, programs[i], "changing-password", "bob", -1, NULL, NULL, NULL, 1));
	}
	/* The last program name given stays exe= for calls without one. */
	H_CALL("acct pgname NULL after", audit_log_acct_message(fd, AUDIT_USER_CHAUTHTOK, NULL, "op", "bob", -1, NULL, NULL, NULL, 1));
	H_CALL("acct pgname 8300", audit_log_acct_message(fd, AUDIT_USER_CHAUTHTOK, long_program, "op", NULL, 0, NULL, NULL, NULL, 1));
	H_CALL("acct op NULL", audit_log_acct_message(fd, AUDIT_USER_CHAUTHTOK, "p", NULL, NULL, 0, NULL, NULL, NULL, 1));
	H_CALL("acct fd -1", (errno = EDOM, 0) + audit_log_acct_message(-1, AUDIT_USER_CHAUTHTOK, "p", "op", NULL, 0, NULL, NULL, NULL, 1));
	free(long_program);
}

static void avc_messages(void)
{
	unsigned i;
	char label[64];
	for (i = 0; i < sizeof ttys / sizeof *ttys; i++) {
		snprintf(label, sizeof label, "avc tty %u", i);
		H_CALL(label, audit_log_user_avc_message(fd, AUDIT_USER_AVC, "avc: denied { read }", NULL, NULL, ttys[i], 1000));
	}
	H_CALL("avc uid -1", audit_log_user_avc_message(fd, AUDIT_USER_AVC, "avc", "localhost", NULL, "pts/0", (uid_t)-1));
	H_CALL("avc NULL message", audit_log_user_avc_message(fd, AUDIT_USER_SELINUX_ERR, NULL, "", "1.2.3.4", "", 0));
	H_CALL("avc fd -1", (errno = EDOM, 0) + audit_log_user_avc_message(-1, AUDIT_USER_AVC, "avc", NULL, NULL, NULL, 0));
}

static void semanage_messages(void)
{
	unsigned i;
	char label[64];
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(label, sizeof label, "semanage name %u", i);
		H_CALL(label, audit_log_semanage_message(fd, AUDIT_ROLE_ASSIGN, "semanage", "login", names[i], 42, "staff_u", "staff_r",
						      "s0", NULL, "", "s0-s0:c0", NULL, NULL, "pts/4", 1));
	}
	H_CALL("semanage pgname NULL", audit_log_semanage_message(fd, AUDIT_ROLE_REMOVE, NULL, "op", "u", -1, NULL, NULL, NULL, NULL,
							     NULL, NULL, "localhost", NULL, NULL, 0));
	H_CALL("semanage pgname empty, tty empty", audit_log_semanage_message(fd, AUDIT_ROLE_REMOVE, "", "op", NULL, -1, "a b", "r",
									 "", "", "", "", "", "", "", 1));
	H_CALL("semanage fd -1", (errno = EDOM, 0) + audit_log_semanage_message(-1, AUDIT_ROLE_REMOVE, "", "op", NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL,
						       NULL, NULL, NULL, 1));
}

static void commands(void)
{
	static const char *cmds[] = { "  ls -l  \n", "", "   ", "echo \"hi\"", "\n", "caf\xc3\xa9", "/bin/true\n\n" };
	char *long_plain = repeat('a', 5000), *quote_at_end = repeat('b', 4200);
	unsigned i;
	char label[64];
	for (i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		snprintf(label, sizeof label, "command %u", i);
		H_CALL(label, audit_log_user_command(fd, AUDIT_USER_CMD, cmds[i], i & 1 ? "pts/9" : NULL, i & 1));
	}
	/* Over PATH_MAX: 4096 bytes kept, the first 4095 decide on encoding. */
	H_CALL("command 5000", audit_log_user_command(fd, AUDIT_USER_CMD, long_plain, "t", 1));
	quote_at_end[4095] = '"';
	H_CALL("command quote at 4095", audit_log_user_command(fd, AUDIT_USER_CMD, quote_at_end, "t", 1));
	quote_at_end[4094] = '"';
	H_CALL("command quote at 4094", audit_log_user_command(fd, AUDIT_USER_CMD, quote_at_end, "t", 1));
	if (chdir("/tmp") == 0)
		H_CALL("command in /tmp", audit_log_user_command(fd, AUDIT_USER_CMD, "pwd", "", 1));
	H_CALL("command fd -1", (errno = EDOM, 0) + audit_log_user_command(-1, AUDIT_USER_CMD, "x", NULL, 1));
	free(long_plain);
	free(quote_at_end);
}

/* The message size limit: a payload (with its NUL) of 8952 bytes is the largest sent. */
static void sizes(void)
{
	char exe[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t fixed, room;
	char *msg;
	int d;
	if (n < 0)
		return;
	/* " exe=\"PATH\" hostname=h addr=a terminal=t res=success" */
	fixed = strlen(" exe=\"\" hostname=h addr=a terminal=t res=success") + n;
	room = 8951 - fixed;
	for (d = -1; d <= 2; d++) {
		char label[64];
		msg = repeat('m', room + d);
		snprintf(label, sizeof label, "size limit %+d", d);
		H_CALL(label, audit_log_user_message(fd, AUDIT_USER, msg, "h", "a", "t", 1));
		snprintf(label, sizeof label, "size limit %+d type 1100 (retried)", d);
		H_CALL(label, audit_log_user_message(fd, AUDIT_USER_AUTH, msg, "h", "a", "t", 1));
		free(msg);
	}
	msg = repeat('m', 20000);
	H_CALL("size 20000", audit_log_user_message(fd, AUDIT_USER, msg, "h", "a", "t", 1));
	H_CALL("size 20000 command", audit_log_user_command(fd, AUDIT_USER_CMD, msg, "t", 1));
	H_CALL("size 20000 acct", audit_log_acct_message(fd, AUDIT_USER_CHAUTHTOK, "p", msg, NULL, 0, NULL, NULL, NULL, 1));
	free(msg);
}

/* Deviations: inputs on which the original crashes or overruns a buffer. */
static void refused_inputs(void)
{
	char *long_encoded = repeat(' ', 4200);
	if (h_is_ours()) {
		int rc = audit_log_user_command(fd, AUDIT_USER_CMD, NULL, NULL, 1);
		h_check(rc == -1 && errno == EINVAL, "NULL command refused");
		rc = audit_log_user_comm_message(fd, AUDIT_USER, "m", long_encoded, "h", "a", "t", 1);
		h_check(rc > 0, "a comm needing encoding past 4095 bytes is encoded whole");
	}
	printf("refused inputs checked\n");
	free(long_encoded);
}

static void unprivileged(void)
{
	fd = audit_open();
	H_CALL("user", audit_log_user_message(fd, AUDIT_USER_LOGIN, "op=login", "h", "a", "t", 1));
	H_CALL("user type 1300", audit_log_user_message(fd, 1300, "op=x", "h", "a", "t", 1));
	H_CALL("comm", audit_log_user_comm_message(fd, AUDIT_USER_LOGIN, "op=login", "c", "h", "a", "t", 1));
	H_CALL("acct", audit_log_acct_message(fd, AUDIT_ADD_USER, "p", "op", "bob", -1, "h", "a", "t", 1));
	H_CALL("avc", audit_log_user_avc_message(fd, AUDIT_USER_AVC, "avc", "h", "a", "t", 1));
	H_CALL("semanage", audit_log_semanage_message(fd, AUDIT_ROLE_ASSIGN, "p", "op", "u", 1, NULL, NULL, NULL, NULL, NULL, NULL, "h",
						    "a", "t", 1));
	H_CALL("command", audit_log_user_command(fd, AUDIT_USER_CMD, "ls", "t", 1));
	H_CALL("size 9000", audit_log_user_message(fd, AUDIT_USER_AUTH, repeat('m', 9000), "h", "a", "t", 1));
	audit_close(fd);
}

int main(void)
{
	int log;
	h_init();
	/* Bound before auditing is on: the bind itself is not logged. */
	log = h_readlog_open();
	h_audit_enabled(1);
	fd = audit_open();
	h_check(fd >= 0, "audit_open");

	user_messages();
	comm_messages();
	acct_messages();
	avc_messages();
	semanage_messages();
	commands();
	sizes();
	printf("kernel records:\n");
	h_readlog_print(log, 1000, 500);

	printf("as nobody:\n");
	h_as_nobody(unprivileged);
	printf("in a user namespace:\n");
	h_in_userns(unprivileged);
	printf("kernel records:\n");
	h_readlog_print(log, 1000, 300);
	/* Last: ours logs what the original cannot, and nobody reads the records any more. */
	refused_inputs();
	audit_close(fd);
	return h_done();
}
