/* Shared by the C conformance tests. Each test is compiled against the REAL libaudit.h and run
 * twice by tests/c_conformance.rs: with the system's libaudit.so.1 and with ours. Its standard
 * output must be identical; a CHECK failure or a non-zero exit fails the test under either.
 *
 * Print only what must agree (return values, errno names, bytes sent, kernel records with times
 * and pids normalised). Where we deliberately differ (docs/deviations.md), branch on h_is_ours()
 * and print the same line once the library-specific expectation holds. */
#ifndef HARNESS_H
#define HARNESS_H
#include <errno.h>
#include <libaudit.h>
#include <stddef.h>
#include <stdio.h>

/* The release line the program is compiled for, as major*10000 + minor*100 + patch (3.0.9 is
 * 30009): tests/c_conformance.rs passes -DH_LINE for the line whose header is on the include
 * path; without it, the system's 3.0.9 header. h_line() returns it, for per-line expectations:
 * each line's expectations are what that line's original does, measured. */
#ifndef H_LINE
#define H_LINE 30009
#endif
int h_line(void);

/* libaudit exports these without declaring them in libaudit.h. */
extern int audit_send(int fd, int type, const void *data, unsigned int size);
extern int __audit_send(int fd, int type, const void *data, unsigned int size, int *seq);
#if H_LINE >= 40102
/* 4.1 on: still exported, no longer declared (nor its enums). */
typedef enum { MSG_STDERR, MSG_SYSLOG, MSG_QUIET } message_t;
typedef enum { DBG_NO, DBG_YES } debug_message_t;
void set_aumessage_mode(message_t mode, debug_message_t debug);
#endif

/* Exported by some lines only: audit_rule_syscall_data up to 3.1.2, audit_msg up to 4.0.2. A
 * program calls them only where h_line() says the line has them; on the other lines the names
 * are routed to the harness (so the program still links against that line's library), which
 * looks the function up at run time and reports a call to a missing one. */
#if H_LINE >= 40002
#define audit_rule_syscall_data h_audit_rule_syscall_data
#endif
int audit_rule_syscall_data(struct audit_rule_data *rule, int scall);
#if H_LINE >= 40102
#define audit_msg h_audit_msg
#endif
void audit_msg(int priority, const char *fmt, ...);
#define H_HAS_SYSCALL_DATA (H_LINE < 40002)
#define H_HAS_AUDIT_MSG (H_LINE < 40102)
/* io_uring operations and rules: 3.1 on. */
#define H_HAS_URING (H_LINE >= 30102)

void h_init(void);
int h_is_ours(void);
/* "what: rc=N errno=ENAME" then resets errno to 0. */
void h_rc(const char *what, long rc);
void h_check(int cond, const char *what);
int h_done(void);

/* Records every datagram sent with sendto() by anyone in this process while on. */
void h_capture(int on);
/* Prints the recorded datagrams as hex (one line each) under a label, then forgets them. */
void h_print_sent(const char *label);

/* Runs one call with capture on, then prints its result and the bytes it sent under `label`. */
#define H_CALL(label, expr)            \
	do {                           \
		long rc_;              \
		h_capture(1);          \
		rc_ = (expr);          \
		h_capture(0);          \
		h_rc(label, rc_);      \
		h_print_sent(label);   \
	} while (0)

/* A socket on the kernel's readlog multicast group: the kernel's own record of what was logged. */
int h_readlog_open(void);
/* Prints records from this process (and its children) until `max` were seen or `timeout_ms`
 * passed without any, normalising timestamps, serials and pids. Returns how many. */
int h_readlog_print(int fd, int max, int timeout_ms);

/* Sets the kernel's enabled flag (0 or 1 only) through raw netlink, independent of the library
 * under test; the original value is put back at exit. */
void h_audit_enabled(int on);

/* Runs fn in a child as uid/gid 65534 with no groups or capabilities; returns its exit status. */
int h_as_nobody(void (*fn)(void));
/* Runs fn in a child in a new user namespace mapping root to our uid (the container case). */
int h_in_userns(void (*fn)(void));

/* A status request on fd and its reply (AUDIT_GET) through the library: 1 if both came. */
int h_status_round(int fd);

/* Prints "what:", runs fn in a forked child with a watchdog of `seconds` and a CHECK that it
 * exits 0, printing how it ended otherwise ("  child killed by ABRT", "  child exit 3"). */
void h_in_child(const char *what, void (*fn)(void), unsigned seconds);

/* Raw netlink to and from the kernel, bypassing the library under test. */
int h_raw_open(void);
int h_raw_request(int fd, int type, const void *data, unsigned len, unsigned seq);
#endif
