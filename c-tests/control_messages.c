/* audit_number_to_errmsg for every code, set_aumessage_mode and audit_msg in every mode. Standard
 * error is joined to standard output so both are compared; syslog is caught by this program's own
 * syslog functions. */
#define _GNU_SOURCE
#include "harness.h"
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

static void logged(int priority, const char *fmt, va_list ap)
{
	char text[512];
	vsnprintf(text, sizeof text, fmt, ap);
	printf("syslog(%d): %s\n", priority, text);
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	logged(priority, fmt, ap);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	logged(priority, fmt, ap);
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	logged(priority, fmt, ap);
	va_end(ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	logged(priority, fmt, ap);
	va_end(ap);
}

static void each_priority(const char *mode)
{
	int p;
	/* 4.1 on, audit_msg is no longer exported: only the library's own messages remain. */
	for (p = LOG_EMERG; H_HAS_AUDIT_MSG && p <= LOG_DEBUG; p++)
		audit_msg(p, "%s priority %d: %s %u %c", mode, p, "text", 42u, 'x');
	/* The library's own messages take the same route. */
	audit_send(-1, AUDIT_GET, NULL, 0);
	audit_request_status(-1);
	printf("-- end of %s\n", mode);
}

int main(void)
{
	static const unsigned modes[] = { MSG_STDERR, MSG_SYSLOG, MSG_QUIET, 3, 255, 0xffffffffu };
	static const unsigned debugs[] = { DBG_NO, DBG_YES, 7 };
	static const char *opts[] = { "opt", "", NULL };
	unsigned m, d;
	int code, o;

	h_init();
	dup2(1, 2);
	setvbuf(stderr, NULL, _IONBF, 0);

	printf("-- default mode (quiet)\n");
	each_priority("default");
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++)
		for (d = 0; d < sizeof debugs / sizeof debugs[0]; d++) {
			char name[64];
			snprintf(name, sizeof name, "mode %u debug %u", modes[m], debugs[d]);
			printf("-- %s\n", name);
			set_aumessage_mode(modes[m], debugs[d]);
			each_priority(name);
		}

	set_aumessage_mode(MSG_STDERR, DBG_NO);
	if (H_HAS_AUDIT_MSG) {
		audit_msg(LOG_ERR, "%s", "");
		audit_msg(LOG_ERR, "no arguments 100%%");
		audit_msg(LOG_ERR, "%d%s", -1, "\n");
	}
	printf("-- end of formats\n");

	for (o = 0; o < 3; o++) {
		printf("-- errmsg opt=%s\n", opts[o] ? opts[o] : "NULL");
		for (code = -45; code <= 3; code++) {
			printf("%d: ", code);
			fflush(stdout);
			audit_number_to_errmsg(code, opts[o]);
			printf("|\n");
		}
		audit_number_to_errmsg(-2147483647 - 1, opts[o]);
		audit_number_to_errmsg(2147483647, opts[o]);
	}
	return h_done();
}
