/* exe= when the executable's path needs hex encoding: this program runs itself again through a
 * hard link whose name holds a space and a control character, once as is and once after
 * removing the link (the kernel then reports "<path> (deleted)"). */
#define _GNU_SOURCE
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int remove_first, const char *self)
{
	int fd = audit_open();
	if (remove_first)
		unlink(self);
	h_capture(1);
	h_rc(remove_first ? "deleted" : "linked", audit_log_user_message(fd, AUDIT_USER, "op=exe", "h", "a", "t", 1));
	h_rc("command", audit_log_user_command(fd, AUDIT_USER_CMD, "x", "t", 1));
	h_capture(0);
	h_print_sent(remove_first ? "deleted" : "linked");
	audit_close(fd);
}

int main(int argc, char **argv)
{
	char self[4096], link_name[4200];
	ssize_t n;
	int i;

	h_init();
	if (argc == 3) {
		child(atoi(argv[1]), argv[2]);
		return h_done();
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	h_check(n > 0, "readlink");
	self[n] = 0;
	snprintf(link_name, sizeof link_name, "%s with space\x01", self);
	for (i = 0; i < 2; i++) {
		int status;
		pid_t pid;
		unlink(link_name);
		if (link(self, link_name)) {
			printf("cannot link\n");
			return 2;
		}
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl(link_name, link_name, i ? "1" : "0", link_name, (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		h_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
	}
	unlink(link_name);
	return h_done();
}
