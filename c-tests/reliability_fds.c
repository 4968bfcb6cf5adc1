/* File descriptors and processes: close-on-exec from the socket() call on (N2), no socket left
 * behind by the feature probe (N7), and a socket that keeps working on both sides of a fork. */
#define _GNU_SOURCE
#include "harness.h"
#include <dirent.h>
#include <fcntl.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int socket_types[8], nsockets;

/* Records the type argument of every socket() call (for SOCK_CLOEXEC). */
int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	if (!real)
		real = dlsym(RTLD_NEXT, "socket");
	if (nsockets < 8)
		socket_types[nsockets++] = type;
	return real(domain, type, protocol);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own fd */
}

static long fdinfo_flags(int fd)
{
	char path[64], line[128];
	long flags = -1;
	FILE *f;
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "flags:", 6))
			flags = strtol(line + 6, NULL, 8);
	if (f)
		fclose(f);
	return flags;
}

/* A request on fd and its reply: the status request's ACK and AUDIT_GET reply. */
static void status_round(const char *who, int fd)
{
	struct audit_reply rep;
	int rc = audit_request_status(fd), got = 0, i;
	for (i = 0; i < 10 && !got; i++)
		got = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) > 0 && rep.type == AUDIT_GET;
	printf("%s: request %s, status reply %s\n", who, rc > 0 ? "acknowledged" : "failed", got ? "received" : "missing");
}

int main(void)
{
	char cmd[128];
	int before, fd, status, seq1, seq2;
	pid_t pid;

	h_init();

	/* The feature probe in a fresh process: its own socket, closed again (N7). */
	before = open_fds();
	audit_get_features();
	if (h_is_ours() || h_line() >= 40002)
		h_check(open_fds() == before, "ours and 4.0 on close the probe's socket");
	else
		h_check(open_fds() == before + 1, "the original before 4.0 leaks the probe's socket");
	printf("audit_get_features: probe socket %s\n", "accounted for");

	nsockets = 0;
	fd = audit_open();
	h_check(fd >= 0 && nsockets == 1, "audit_open opens one socket");
	/* Both end with close-on-exec; only ours asks for it in the socket() call itself (N2). */
	h_check((fdinfo_flags(fd) & O_CLOEXEC) != 0, "FD_CLOEXEC after audit_open");
	if (h_is_ours() || h_line() >= 40002)
		h_check((socket_types[0] & SOCK_CLOEXEC) != 0, "ours and 4.0 on pass SOCK_CLOEXEC to socket()");
	else
		h_check((socket_types[0] & SOCK_CLOEXEC) == 0, "the original before 4.0 sets FD_CLOEXEC afterwards");
	printf("audit_open: close-on-exec\n");

	/* An exec'd child does not inherit the socket. */
	fflush(stdout);
	snprintf(cmd, sizeof cmd, "test -e /proc/self/fd/%d && echo exec: inherited || echo exec: not inherited", fd);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);

	/* fork: the child uses the inherited socket and one of its own; then the parent goes on. */
	seq1 = audit_request_status(fd);
	status_round("parent before fork", fd);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int own = audit_open();
		status_round("child, inherited socket", fd);
		status_round("child, own socket", own);
		audit_close(own);
		fflush(stdout);
		_exit(h_done());
	}
	waitpid(pid, &status, 0);
	h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child exit");
	status_round("parent after fork", fd);
	seq2 = audit_request_status(fd);
	/* The sequence goes on in the parent regardless of what the child sent. */
	printf("parent sequence advanced by %d\n", seq2 - seq1);
	audit_close(fd);
	return h_done();
}
