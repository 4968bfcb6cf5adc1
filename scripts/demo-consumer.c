/* A small libaudit consumer for ./scripts/demo, built like any other: the system's libaudit.h and
 * `pkg-config --libs audit`. It reports which libaudit.so.1 it runs on, prints the kernel's audit
 * status, logs one user record, and prints that record as the kernel logged it, read back from
 * the kernel's multicast log group. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libaudit.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

/* Weak: the program still starts on a libaudit that lacks it, and falls back to audit_send. */
extern int audit_log_user_message(int fd, int type, const char *message, const char *hostname,
				  const char *addr, const char *tty, int result)
	__attribute__((weak));
extern int audit_send(int fd, int type, const void *data, unsigned int size);

static void print_status(int fd)
{
	struct audit_reply rep;

	if (audit_request_status(fd) < 0 || audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) <= 0 ||
	    rep.type != AUDIT_GET) {
		printf("status: request failed: %s\n", strerror(errno));
		return;
	}
	printf("status: enabled %u failure %u pid %u rate_limit %u backlog_limit %u lost %u backlog %u\n",
	       rep.status->enabled, rep.status->failure, rep.status->pid, rep.status->rate_limit,
	       rep.status->backlog_limit, rep.status->lost, rep.status->backlog);
}

/* A socket on AUDIT_NLGRP_READLOG: every record the kernel logs, as it logs it. */
static int readlog_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Prints the first logged record containing `tag`; waits at most 5 seconds. */
static int print_logged(int fd, const char *tag)
{
	static char buf[MAX_AUDIT_MESSAGE_LENGTH + 1];
	time_t end = time(NULL) + 5;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (time(NULL) < end && poll(&p, 1, 1000) >= 0) {
		if (!(p.revents & POLLIN))
			continue;
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
		if (n < (ssize_t)NLMSG_HDRLEN)
			continue;
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		buf[n] = '\0';
		char *text = (char *)NLMSG_DATA(h);
		if (strstr(text, tag)) {
			printf("kernel logged: type %u: %s\n", h->nlmsg_type, text);
			return 0;
		}
	}
	printf("kernel logged: nothing with %s within 5 seconds\n", tag);
	return 1;
}

/* consumer --watch TAG COMMAND...: runs COMMAND and prints the record it made the kernel log. */
static int watch(const char *tag, char **command)
{
	int log = readlog_open(), status;
	pid_t pid;

	if (log < 0) {
		printf("readlog socket: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(command[0], command);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	status = print_logged(log, tag);
	close(log);
	return status;
}

int main(int argc, char **argv)
{
	char message[128];
	Dl_info where;
	int fd, log, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 3 && strcmp(argv[1], "--watch") == 0)
		return watch(argv[2], argv + 3);
	if (dladdr((void *)audit_open, &where) && where.dli_fname)
		printf("libaudit: %s\n", where.dli_fname);
	fd = audit_open();
	if (fd < 0) {
		printf("audit_open: %s\n", strerror(errno));
		return 1;
	}
	print_status(fd);

	log = readlog_open();
	if (log < 0) {
		printf("readlog socket: %s\n", strerror(errno));
		return 1;
	}
	snprintf(message, sizeof message, "op=libaudit-rs-demo-%d", (int)getpid());
	rc = audit_log_user_message(fd, AUDIT_TRUSTED_APP, message, NULL, NULL, NULL, 1);
	printf("audit_log_user_message(AUDIT_TRUSTED_APP, \"%s\"): %d\n", message, rc);
	audit_close(fd);
	rc = print_logged(log, message);
	close(log);
	return rc;
}
