#define _GNU_SOURCE
#include "harness.h"

#include <ctype.h>
#include <dlfcn.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>

static int failures;
static int capturing;
static char *captured;
static size_t captured_len;
static pid_t pids[64];
static int npids;
static int saved_enabled = -1;

static void restore_enabled(void);

void h_init(void)
{
	Dl_info info;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pids[npids++] = getpid();
	if (dladdr((void *)audit_open, &info) && info.dli_fname)
		fprintf(stderr, "harness: libaudit from %s\n", info.dli_fname);
	atexit(restore_enabled);
}

int h_is_ours(void)
{
	Dl_info info;
	/* Only our build defines audit_name_to_uringop alongside the 3.0.9 ABI's audit_msg... the
	 * plainest sign is where audit_open came from. */
	return dladdr((void *)audit_open, &info) && info.dli_fname &&
	       strstr(info.dli_fname, "/target/it/ours") != NULL;
}

int h_line(void)
{
	return H_LINE;
}

#if H_LINE >= 40002
/* A function this line does not export, called anyway: found at run time if the library under
 * test has it (ours may, until its export list follows the line), else reported. */
static void *missing(const char *name)
{
	void *f = dlsym(RTLD_DEFAULT, name);
	if (!f)
		printf("%s: not exported by this library (line %d)\n", name, H_LINE);
	return f;
}

int h_audit_rule_syscall_data(struct audit_rule_data *rule, int scall)
{
	int (*f)(struct audit_rule_data *, int) = (int (*)(struct audit_rule_data *, int))missing("audit_rule_syscall_data");
	if (!f) {
		errno = ENOSYS;
		return -1;
	}
	return f(rule, scall);
}
#endif

#if H_LINE >= 40102
#include <stdarg.h>
void h_audit_msg(int priority, const char *fmt, ...)
{
	void (*f)(int, const char *, ...) = (void (*)(int, const char *, ...))missing("audit_msg");
	char buf[8192];
	va_list ap;
	if (!f)
		return;
	if (!fmt) {
		f(priority, NULL);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	f(priority, "%s", buf);
}
#endif

static const char *errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";
	static char buf[32];
	if (n)
		return n;
	snprintf(buf, sizeof buf, "%d", e);
	return buf;
}

void h_rc(const char *what, long rc)
{
	printf("%s: rc=%ld errno=%s\n", what, rc, errname(errno));
	errno = 0;
}

void h_check(int cond, const char *what)
{
	if (!cond) {
		printf("CHECK FAILED: %s\n", what);
		failures++;
	}
}

int h_done(void)
{
	fflush(stdout);
	return failures ? 1 : 0;
}

/* --- sendto capture: this executable's sendto wins over libc's for every library in it. --- */
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen)
{
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (capturing) {
		char line[3 * 9000 + 64];
		size_t n = 0, i;
		n += snprintf(line + n, sizeof line - n, "  %zu:", len);
		for (i = 0; i < len && n + 4 < sizeof line; i++)
			n += snprintf(line + n, sizeof line - n, "%s%02x", i % 4 ? "" : " ", ((const unsigned char *)buf)[i]);
		line[n++] = '\n';
		captured = realloc(captured, captured_len + n + 1);
		memcpy(captured + captured_len, line, n);
		captured_len += n;
		captured[captured_len] = 0;
	}
	return real(fd, buf, len, flags, addr, alen);
}

void h_capture(int on)
{
	capturing = on;
}

void h_print_sent(const char *label)
{
	printf("sent %s:\n%s", label, captured ? captured : "");
	free(captured);
	captured = NULL;
	captured_len = 0;
}

/* --- kernel records --- */
int h_readlog_open(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 /* AUDIT_NLGRP_READLOG */ };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	/* Multicast delivery is best effort: a full receive buffer drops records, so make room. */
	int size = 32 << 20;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		printf("readlog: cannot bind (%s)\n", errname(errno));
		exit(2);
	}
	return fd;
}

static int ours_pid(const char *text)
{
	const char *p = strstr(text, " pid=");
	int i;
	if (!p)
		return 0;
	for (i = 0; i < npids; i++)
		if (atoi(p + 5) == pids[i])
			return 1;
	return 0;
}

/* Replaces the digits after each "key=" (at a word start) for the given keys with a token. */
static void normalise(char *text)
{
	static const char *keys[] = { "pid=", "ppid=", NULL };
	char out[9000];
	size_t o = 0;
	char *p = text, *a = strstr(text, "audit(");
	if (a) {
		char *end = strchr(a, ')');
		if (end && end > a + 6) {
			a[6] = 'T';
			memmove(a + 7, end, strlen(end) + 1);
		}
	}
	while (*p && o < sizeof out - 16) {
		int k, hit = 0;
		if (p == text || p[-1] == ' ') {
			for (k = 0; keys[k]; k++) {
				size_t kl = strlen(keys[k]);
				if (!strncmp(p, keys[k], kl) && isdigit((unsigned char)p[kl])) {
					memcpy(out + o, keys[k], kl);
					o += kl;
					out[o++] = 'N';
					p += kl;
					while (isdigit((unsigned char)*p))
						p++;
					hit = 1;
					break;
				}
			}
		}
		if (!hit)
			out[o++] = *p++;
	}
	out[o] = 0;
	strcpy(text, out);
}

int h_readlog_print(int fd, int max, int timeout_ms)
{
	int seen = 0;
	while (seen < max) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[9000];
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		ssize_t n;
		if (poll(&p, 1, timeout_ms) <= 0)
			break;
		n = recv(fd, buf, sizeof buf - 1, 0);
		if (n < (ssize_t)NLMSG_HDRLEN)
			continue;
		buf[n] = 0;
		if (!ours_pid((char *)NLMSG_DATA(h)))
			continue;
		normalise((char *)NLMSG_DATA(h));
		printf("record type=%d %s\n", h->nlmsg_type, (char *)NLMSG_DATA(h));
		seen++;
	}
	return seen;
}

/* --- raw netlink, independent of the library under test --- */
int h_raw_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
}

int h_raw_request(int fd, int type, const void *data, unsigned len, unsigned seq)
{
	struct { struct nlmsghdr h; char d[9000]; } m;
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	char ack[256];
	memset(&m, 0, sizeof m);
	m.h.nlmsg_len = NLMSG_SPACE(len);
	m.h.nlmsg_type = type;
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m.h.nlmsg_seq = seq;
	if (len)
		memcpy(NLMSG_DATA(&m.h), data, len);
	if (sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&a, sizeof a) < 0)
		return -errno;
	/* The ACK; callers that expect more read it themselves. */
	if (recv(fd, ack, sizeof ack, 0) < 0)
		return -errno;
	return ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)ack))->error;
}

static int raw_get_enabled(void)
{
	int fd = h_raw_open(), enabled = -1, i;
	char buf[9000];
	if (fd < 0)
		return -1;
	if (h_raw_request(fd, AUDIT_GET, NULL, 0, 1) == 0) {
		for (i = 0; i < 10; i++) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			struct nlmsghdr *h = (struct nlmsghdr *)buf;
			if (poll(&p, 1, 1000) <= 0 || recv(fd, buf, sizeof buf, 0) <= 0)
				break;
			if (h->nlmsg_type == AUDIT_GET) {
				enabled = ((struct audit_status *)NLMSG_DATA(h))->enabled;
				break;
			}
		}
	}
	close(fd);
	return enabled;
}

static void raw_set_enabled(int on)
{
	struct audit_status s;
	int fd = h_raw_open();
	memset(&s, 0, sizeof s);
	s.mask = AUDIT_STATUS_ENABLED;
	s.enabled = on ? 1 : 0; /* never 2: that locks the configuration until reboot */
	h_raw_request(fd, AUDIT_SET, &s, sizeof s, 2);
	close(fd);
}

static void restore_enabled(void)
{
	if (saved_enabled == 0 || saved_enabled == 1)
		raw_set_enabled(saved_enabled);
}

void h_audit_enabled(int on)
{
	if (saved_enabled < 0)
		saved_enabled = raw_get_enabled();
	raw_set_enabled(on);
}

/* --- the library under test --- */
int h_status_round(int fd)
{
	struct audit_reply rep;
	int i;
	if (audit_request_status(fd) <= 0)
		return 0;
	for (i = 0; i < 10; i++)
		if (audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) > 0 && rep.type == AUDIT_GET)
			return 1;
	return 0;
}

void h_in_child(const char *what, void (*fn)(void), unsigned seconds)
{
	int status;
	pid_t pid;
	printf("%s:\n", what);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(seconds);
		fn();
		fflush(stdout);
		_exit(h_done());
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("  child killed by %s\n", sigabbrev_np(WTERMSIG(status)) ?: "?");
	else if (WEXITSTATUS(status))
		printf("  child exit %d\n", WEXITSTATUS(status));
	h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child lives on");
}

/* --- other identities --- */
static int run_child(void (*setup)(void), void (*fn)(void))
{
	int status;
	pid_t pid;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setup();
		fn();
		fflush(stdout);
		_exit(h_done());
	}
	if (npids < 64)
		pids[npids++] = pid;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
		printf("cannot become nobody\n");
		_exit(2);
	}
}

int h_as_nobody(void (*fn)(void))
{
	return run_child(become_nobody, fn);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		printf("cannot write %s\n", path);
		_exit(2);
	}
	close(fd);
}

static void enter_userns(void)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER)) {
		printf("cannot unshare a user namespace\n");
		_exit(2);
	}
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "0 %u 1", uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof map, "0 %u 1", gid);
	write_file("/proc/self/gid_map", map);
}

int h_in_userns(void (*fn)(void))
{
	return run_child(enter_userns, fn);
}
