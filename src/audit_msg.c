/* audit_msg: the one variadic export. Stable Rust cannot define a C-variadic function, so the
 * formatting happens here with libc's own v*printf; whether and where the message goes is
 * decided by the Rust side (src/message.rs), which set_aumessage_mode configures. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

/* 0: drop, 1: stderr, 2: syslog; plus 4: restore errno on return (4.0 and later). Hidden: this
 * reference makes the Rust definition hidden too, so it never appears in the library's dynamic
 * symbol table. */
__attribute__((visibility("hidden"))) int libaudit_rs_message_route(int priority);

/* Exported as audit_msg by src/message.rs's jump to it: the library's one list of exports is
 * rustc's, which names only what Rust defines (build.rs). */
__attribute__((visibility("hidden"))) void libaudit_rs_audit_msg(int priority, const char *fmt, ...)
{
	va_list ap;
	int saved_errno = errno;
	int route = libaudit_rs_message_route(priority);
	int keep_errno = route & 4;

	route &= 3;
	if (route == 0)
		return;
	if (fmt == NULL) {
		/* What glibc makes of the original's v*printf(NULL): EINVAL, and only the newline. */
		if (route == 1)
			fputc('\n', stderr);
		errno = keep_errno ? saved_errno : EINVAL;
		return;
	}
	va_start(ap, fmt);
	if (route == 2) {
		vsyslog(priority, fmt, ap);
	} else {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
	if (keep_errno)
		errno = saved_errno;
}
