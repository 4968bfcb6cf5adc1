/* get_auditfail_action: the real /etc/libaudit.conf, then, in a child with a private mount
 * namespace and a tmpfs over /etc, one variant of the file after another. Every diagnostic
 * (debug included) goes to standard error, joined to standard output. */
#define _GNU_SOURCE
#include "harness.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONF "/etc/libaudit.conf"

static void action(const char *what)
{
	auditfail_t mode = 99;
	int rc;
	errno = 0;
	rc = get_auditfail_action(&mode);
	printf("%s: rc=%d failmode=%u\n", what, rc, mode);
}

static void write_conf(const char *text, size_t len, mode_t mode)
{
	int fd;
	unlink(CONF);
	rmdir(CONF);
	fd = open(CONF, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	h_check(fd >= 0 && write(fd, text, len) == (ssize_t)len, "write " CONF);
	close(fd);
	chmod(CONF, mode);
}

static void variant(const char *what, const char *text)
{
	write_conf(text, strlen(text), 0644);
	action(what);
}

static void null_failmode(void)
{
	printf("get_auditfail_action(NULL): rc=%d\n", get_auditfail_action(NULL));
}

static void variants(void)
{
	char line[512];
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/etc", "tmpfs", 0, "mode=0755")) {
		printf("cannot make a private /etc\n");
		_exit(2);
	}
	action("missing");
	variant("empty", "");
	variant("comments, log", "# comment\n\n   \n  # indented comment\nfailure_action = log\n");
	variant("upper case", "FAILURE_ACTION = TERMINATE\n");
	variant("ignore, no newline", "failure_action = ignore");
	variant("spaces around", "   failure_action    =    log   \n");
	variant("twice", "failure_action = log\nfailure_action = terminate\n");
	variant("bad keyword", "foo = bar\n");
	variant("bad keyword after a good line", "failure_action = terminate\nfoo = bar\n");
	variant("bad value", "failure_action = loud\n");
	variant("missing equal sign", "failure_action log\n");
	variant("equal sign glued", "failure_action=log\n");
	variant("no value", "failure_action =\n");
	variant("name only", "failure_action\n");
	variant("extra token", "failure_action = log extra\n");
	variant("tabs", "failure_action\t=\tlog\n");
	variant("crlf", "failure_action = log\r\n");
	variant("comment after value", "failure_action = log # why\n");
	variant("hash value", "failure_action = #log\n");

	memset(line, ' ', sizeof line);
	strcpy(line + 130, "failure_action = terminate\n");
	variant("130 spaces then the setting", line);
	memset(line, 'x', 200);
	strcpy(line + 200, "\nfailure_action = log\n");
	variant("200-byte word", line);
	memset(line, ' ', 126);
	strcpy(line + 126, "failure_action = log\n");
	variant("setting split by the 127-byte limit", line);
	write_conf("failure_action = log\0junk\nfailure_action = terminate\n", 51, 0644);
	action("NUL byte");

	write_conf("failure_action = log\n", 21, 0666);
	action("world writable");
	write_conf("failure_action = log\n", 21, 0660);
	action("group writable");
	write_conf("failure_action = log\n", 21, 0);
	action("mode 0");
	write_conf("failure_action = log\n", 21, 0644);
	h_check(chown(CONF, 65534, 0) == 0, "chown");
	action("owned by 65534");
	h_check(chown(CONF, 0, 65534) == 0, "chown");
	action("group 65534");
	h_check(chmod(CONF, 0664) == 0, "chmod");
	action("group 65534, group writable"); /* refused from 4.0 on */

	write_conf("failure_action = log\n", 21, 0644);
	rename(CONF, "/etc/real.conf");
	h_check(symlink("/etc/real.conf", CONF) == 0, "symlink");
	action("symlink");
	unlink(CONF);
	h_check(mkdir(CONF, 0755) == 0, "mkdir");
	action("directory");
	rmdir(CONF);

	/* A NULL pointer (deviation N8): the original crashes; ours reads the file, stores nothing. */
	write_conf("failure_action = log\n", 21, 0644);
	if (h_is_ours()) {
		null_failmode();
	} else {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			null_failmode();
			_exit(0);
		}
		waitpid(pid, &status, 0);
		h_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "the original crashes");
		printf("get_auditfail_action(NULL): rc=0\n");
	}
}

int main(void)
{
	int status;
	pid_t pid;

	h_init();
	dup2(1, 2);
	setvbuf(stderr, NULL, _IONBF, 0);
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	action("the real " CONF);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		variants();
		fflush(stdout);
		_exit(h_done());
	}
	waitpid(pid, &status, 0);
	h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "variants");
	return h_done();
}
