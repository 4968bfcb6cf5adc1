/* What the process may do and who it is: audit_can_control/write/read, audit_getloginuid,
 * audit_setloginuid (in forked children only), audit_get_session; and the whole request API as
 * an unprivileged user (EPERM) and inside a user namespace (ECONNREFUSED). */
#define _GNU_SOURCE
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned long proc_number(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, sizeof buf, f))
			buf[0] = 0;
		fclose(f);
	}
	return strtoul(buf, NULL, 10);
}

static void identity(void)
{
	uid_t uid;
	uint32_t ses;
	h_rc("can_control", audit_can_control());
	h_rc("can_write", audit_can_write());
	h_rc("can_read", audit_can_read());
	errno = 1234;
	uid = audit_getloginuid();
	printf("getloginuid: matches /proc %d errno=%d\n", uid == proc_number("/proc/self/loginuid"), errno);
	errno = 1234;
	ses = audit_get_session();
	printf("get_session: matches /proc %d errno=%d\n", ses == proc_number("/proc/self/sessionid"), errno);
}

/* Every request as this caller, and what audit_is_enabled makes of it. */
static void requests(void)
{
	struct audit_reply rep;
	int fd = audit_open();
	h_rc("open", fd >= 0);
	h_rc("request_status", audit_request_status(fd));
	h_rc("is_enabled", audit_is_enabled(fd));
	h_rc("set_enabled 1", audit_set_enabled(fd, 1));
	h_rc("set_failure 1", audit_set_failure(fd, 1));
	h_rc("set_pid self", audit_set_pid(fd, getpid(), WAIT_YES));
	h_rc("set_rate_limit", audit_set_rate_limit(fd, 5));
	h_rc("set_backlog_limit", audit_set_backlog_limit(fd, 5));
	h_rc("set_backlog_wait_time", audit_set_backlog_wait_time(fd, 5));
	h_rc("reset_lost", audit_reset_lost(fd));
	h_rc("reset_backlog_wait_time_actual", audit_reset_backlog_wait_time_actual(fd));
	h_rc("request_features", audit_request_features(fd));
	h_rc("set_feature 0 off", audit_set_feature(fd, 0, 0, 0));
	h_rc("request_rules_list_data", audit_request_rules_list_data(fd));
	h_rc("request_signal_info", audit_request_signal_info(fd));
	h_rc("user message", audit_send(fd, AUDIT_USER, "conformance", 12));
	h_rc("queue empty", audit_get_reply(fd, &rep, GET_REPLY_NONBLOCKING, 0));
	printf("get_features: %#x\n", audit_get_features());
	audit_close(fd);
}

static void unprivileged(void)
{
	identity();
	h_rc("setloginuid", audit_setloginuid(1000));
	set_aumessage_mode(MSG_STDERR, DBG_NO);
	requests();
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	printf("with debug messages:\n");
	h_rc("request_status", audit_request_status(audit_open()));
}

/* Sets the loginuid in a child of its own: once from unset, then again (allowed with
 * CAP_AUDIT_CONTROL), then back to unset. The session id changes with a new loginuid. */
static void set_loginuid(void)
{
	uint32_t ses = audit_get_session();
	h_rc("setloginuid 4242", audit_setloginuid(4242));
	h_rc("getloginuid", audit_getloginuid());
	printf("session changed: %d\n", audit_get_session() != ses);
	h_rc("setloginuid 4243", audit_setloginuid(4243));
	h_rc("getloginuid", audit_getloginuid());
	h_rc("setloginuid -1", audit_setloginuid(-1));
	h_rc("getloginuid", audit_getloginuid());
	h_rc("get_session after unset", audit_get_session());
}

static void run(const char *what, void (*fn)(void))
{
	int status;
	pid_t pid;
	printf("-- %s\n", what);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(h_done());
	}
	waitpid(pid, &status, 0);
	h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, what);
}

int main(void)
{
	h_init();
	dup2(1, 2);
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	printf("-- root\n");
	identity();
	if (proc_number("/proc/self/loginuid") == 4294967295UL)
		run("setloginuid in a child", set_loginuid);
	else
		printf("loginuid already set: setloginuid not exercised\n");
	printf("-- nobody\n");
	h_check(h_as_nobody(unprivileged) == 0, "as nobody");
	printf("-- user namespace\n");
	h_check(h_in_userns(unprivileged) == 0, "in a user namespace");
	return h_done();
}
