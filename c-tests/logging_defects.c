/* The original's logging defects, each with the test that would have caught it.
 *
 * L2: audit_log_user_comm_message hex-encodes a comm into an 8192-byte stack buffer, so a comm
 * of 4096 bytes or more that needs encoding overruns it. Each length runs in a forked child;
 * the kernel's record must hold the whole comm, encoded (the kernel keeps 8560 bytes of a user
 * message's text: 4150 bytes are the most that fit here). The original's child logs something
 * else, or crashes (its outcome goes to stderr); ours logs every byte.
 *
 * L3: exe= is encoded into an 8192-byte buffer too, whose NUL lands one byte past it for a
 * 4096-byte path. The kernel's readlink of /proc/self/exe gives at most 4095 bytes (d_path
 * into a PATH_MAX page, NUL included), so the boundary reachable from user space is a
 * 4095-byte path: this program runs a copy of itself at that depth and one and 200 bytes
 * deeper (where the kernel refuses the readlink), each path holding a space, and prints exe=
 * of the record sent. */
#define _GNU_SOURCE
#include "harness.h"
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The record of `tag` from the kernel's log, or NULL after a second without it. */
static char *record_of(int readlog, const char *tag)
{
	static char buf[10000];
	struct pollfd p = { .fd = readlog, .events = POLLIN };
	while (poll(&p, 1, 1000) > 0) {
		ssize_t n = recv(readlog, buf, sizeof buf - 1, 0);
		if (n <= NLMSG_HDRLEN)
			continue;
		buf[n] = 0;
		if (strstr(buf + NLMSG_HDRLEN, tag))
			return buf + NLMSG_HDRLEN;
	}
	return NULL;
}

/* comm= of the record is `len` spaces, hex encoded, and nothing else. */
static int comm_whole(const char *record, size_t len)
{
	const char *c = record ? strstr(record, " comm=") : NULL;
	size_t i;
	if (!c)
		return 0;
	c += 6;
	for (i = 0; i < len; i++)
		if (c[2 * i] != '2' || c[2 * i + 1] != '0')
			return 0;
	return c[2 * len] == ' ';
}

static void long_comm(int readlog, size_t len)
{
	char tag[64], *comm = malloc(len + 1);
	int status, fd = audit_open();
	pid_t pid;
	memset(comm, ' ', len);
	comm[len] = 0;
	snprintf(tag, sizeof tag, "op=librs-comm-%zu-%d", len, getpid());
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2); /* the original's "stack smashing detected" */
		_exit(audit_log_user_comm_message(fd, AUDIT_USER, tag, comm, NULL, NULL, "", 1) > 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	const char *record = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? record_of(readlog, tag) : NULL;
	int whole = comm_whole(record, len);
	if (h_line() >= 40201) {
		/* 4.2.1 cuts every comm to 15 bytes (with a warning through audit_msg). */
		whole = comm_whole(record, len < 15 ? len : 15);
		h_check(whole, "4.2.1 logs the first 15 bytes of comm");
	} else if (h_is_ours())
		h_check(whole, "ours logs the whole comm");
	else if (len < 4096)
		h_check(whole, "the original logs a comm below its limit");
	fprintf(stderr, "comm %zu: %s (child status %#x; record: %.60s)\n", len, whole ? "whole" : "not logged whole", status,
		record ? strstr(record, " comm=") : "none");
	printf("comm of %zu spaces: %s\n", len,
	       h_line() >= 40201 ? "logged, cut to 15 bytes"
	       : len < 4096	 ? "logged whole"
				 : "the original overruns its buffer; ours logs it whole");
	audit_close(fd);
	free(comm);
}

/* Run as the copy: one user message tagged with the depth. */
static int exe_child(const char *tag)
{
	int fd = audit_open();
	int rc = audit_log_user_message(fd, AUDIT_USER, tag, "h", "a", "t", 1);
	audit_close(fd);
	return rc > 0 ? 0 : 1;
}

/* How exe= of the record reads: the full path hex encoded, "?", or something else. */
static const char *exe_field(const char *record, const char *path)
{
	const char *e = record ? strstr(record, " exe=") : NULL;
	size_t i, len = strlen(path);
	static char out[64];
	if (!e)
		return "no record";
	e += 5;
	if (!strncmp(e, "\"?\" ", 4))
		return "\"?\"";
	for (i = 0; i < len; i++) {
		char hex[3];
		snprintf(hex, sizeof hex, "%02X", (unsigned char)path[i]);
		if (e[2 * i] != hex[0] || e[2 * i + 1] != hex[1])
			return "not the path";
	}
	if (e[2 * len] != ' ')
		return "longer than the path";
	snprintf(out, sizeof out, "the path hex encoded (%zu digits)", 2 * len);
	return out;
}

/* A copy of this program at a path of exactly `total` bytes, each directory name holding a
 * space, run from its directory (execve takes no path of PATH_MAX bytes or more). */
static void exe_at_depth(int readlog, const char *top, size_t total)
{
	char path[8192], tag[64], base[96], *buf;
	size_t len;
	int in, out, status;
	ssize_t n;
	pid_t pid;

	snprintf(base, sizeof base, "%s/%zu", top, total);
	h_check(mkdir(base, 0700) == 0, "base directory");
	len = strlen(base);
	strcpy(path, base);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		h_check(chdir(base) == 0, "chdir base");
		/* Directories of up to 200 bytes until the file name completes the length. */
		while (total - len > 1 + 200 + 1 + 8) {
			char dir[202];
			memset(dir, 'd', 200);
			dir[0] = ' ';
			dir[200] = 0;
			h_check(mkdir(dir, 0700) == 0 && chdir(dir) == 0, "deep directory");
			len += 1 + 200;
		}
		char name[256];
		size_t rest = total - len - 1;
		memset(name, 'x', rest);
		name[0] = ' ';
		name[rest] = 0;
		in = open("/proc/self/exe", O_RDONLY);
		out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0700);
		buf = malloc(1 << 16);
		while ((n = read(in, buf, 1 << 16)) > 0)
			h_check(write(out, buf, n) == n, "copy");
		close(in);
		close(out);
		char run[260], tagarg[64];
		snprintf(run, sizeof run, "./%s", name);
		snprintf(tagarg, sizeof tagarg, "op=librs-exe-%zu-%d", total, getppid());
		execl(run, run, "exe-child", tagarg, (char *)NULL);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	/* The path the child built, for the comparison. */
	while (total - len > 1 + 200 + 1 + 8) {
		strcat(path, "/ ");
		memset(path + len + 2, 'd', 199);
		path[len + 201] = 0;
		len += 201;
	}
	strcat(path, "/ ");
	memset(path + len + 2, 'x', total - len - 2);
	path[total] = 0;
	snprintf(tag, sizeof tag, "op=librs-exe-%zu-%d", total, getpid());
	h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the copy logged");
	printf("exe path of %zu bytes: exe=%s\n", total, exe_field(record_of(readlog, tag), path));
}

int main(int argc, char **argv)
{
	char base[64], cleanup[128];
	int readlog;

	if (argc == 3 && !strcmp(argv[1], "exe-child"))
		return exe_child(argv[2]);
	h_init();
	h_audit_enabled(1);
	readlog = h_readlog_open();
	long_comm(readlog, 4000);
	long_comm(readlog, 4095);
	long_comm(readlog, 4096);
	long_comm(readlog, 4100);
	long_comm(readlog, 4150);

	snprintf(base, sizeof base, "/tmp/librs-exe-%d", getpid());
	h_check(mkdir(base, 0700) == 0, "base directory");
	exe_at_depth(readlog, base, 4000);
	exe_at_depth(readlog, base, 4095);
	exe_at_depth(readlog, base, 4096);
	exe_at_depth(readlog, base, 4300);
	snprintf(cleanup, sizeof cleanup, "rm -rf %s", base);
	h_check(system(cleanup) == 0, "cleanup");
	return h_done();
}
