/* terminal= and the host name it brings, when the caller passes no tty: the process's own
 * terminal on fd 0, 1 or 2. In a private mount namespace with its own devpts instance (so the
 * terminal is always pts/0) and a tmpfs holding planted nodes of the console device (a pts
 * can only be opened through its devpts): one accepted outside /dev, one hard-linked (refused
 * as forged), one whose name is too long for ttyname_r. */
#define _GNU_SOURCE
#include "harness.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int fd;

static void every_function(const char *on)
{
	char label[96];
#define L(what) (snprintf(label, sizeof label, "%s: %s", on, what), label)
	H_CALL(L("user"), audit_log_user_message(fd, AUDIT_USER_LOGIN, "op=login", NULL, NULL, NULL, 1));
	H_CALL(L("user host given"), audit_log_user_message(fd, AUDIT_USER_LOGIN, "op=login", "remote", NULL, NULL, 1));
	H_CALL(L("user empty tty"), audit_log_user_message(fd, AUDIT_USER_LOGIN, "op=login", NULL, NULL, "", 1));
	H_CALL(L("comm"), audit_log_user_comm_message(fd, AUDIT_USER_CMD, "op=run", "cron", NULL, NULL, NULL, 1));
	H_CALL(L("acct"), audit_log_acct_message(fd, AUDIT_ADD_USER, "useradd", "adding-user", "bob", -1, NULL, NULL, NULL, 1));
	H_CALL(L("avc"), audit_log_user_avc_message(fd, AUDIT_USER_AVC, "avc", NULL, NULL, NULL, 0));
	H_CALL(L("semanage NULL tty"), audit_log_semanage_message(fd, AUDIT_ROLE_ASSIGN, "semanage", "op", "u", -1, NULL, NULL,
								NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1));
	H_CALL(L("semanage empty tty"), audit_log_semanage_message(fd, AUDIT_ROLE_ASSIGN, "semanage", "op", "u", -1, NULL, NULL,
								 NULL, NULL, NULL, NULL, NULL, NULL, "", 1));
	H_CALL(L("command"), audit_log_user_command(fd, AUDIT_USER_CMD, "ls", NULL, 1));
#undef L
}

static void on_stdin(const char *path, dev_t rdev)
{
	int t;
	if (rdev && mknod(path, S_IFCHR | 0600, rdev)) {
		printf("cannot make %s\n", path);
		exit(2);
	}
	t = open(path, O_RDWR | O_NOCTTY);
	if (t < 0 || dup2(t, 0) < 0) {
		printf("cannot open %s\n", path);
		exit(2);
	}
	close(t);
	every_function(path);
}

int main(void)
{
	int master, log, unlock = 0;
	struct stat st;

	h_init();
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666,mode=0620") ||
	    mount("tmpfs", "/mnt", "tmpfs", 0, "mode=0700")) {
		printf("cannot set up a private devpts and tmpfs\n");
		return 2;
	}
	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY);
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) || stat("/dev/console", &st)) {
		printf("cannot open a pseudo-terminal\n");
		return 2;
	}

	log = h_readlog_open();
	h_audit_enabled(1);
	fd = audit_open();
	on_stdin("/dev/pts/0", 0);
	on_stdin("/mnt/t", st.st_rdev);
	if (link("/mnt/t", "/mnt/u")) {
		printf("cannot link\n");
		return 2;
	}
	on_stdin("/mnt/u", 0);
	on_stdin("/mnt/a-name-too-long-for-ttyname-r", st.st_rdev);
	printf("kernel records:\n");
	h_readlog_print(log, 1000, 500);
	audit_close(fd);
	close(master);
	return h_done();
}
