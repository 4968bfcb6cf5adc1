/* audit_logging.h: the logging functions of libaudit-rs, the 4.2.1 line (audit 4.0 and later install it beside
 * libaudit.h).
 *
 * Generated from cbindgen's output for src/ by tests/header.rs: do not edit. To regenerate:
 *     REGENERATE_HEADER=1 cargo test --test header
 */
#ifndef _AUDIT_LOGGING_H
#define _AUDIT_LOGGING_H

#include <features.h>
#include <sys/types.h>
#include <audit-records.h>

#ifndef __attr_access
# define __attr_access(x)
#endif
#ifndef __wur
# define __wur
#endif
#ifndef __attr_dealloc
# define __attr_dealloc(dealloc, argno)
#endif
#ifndef __attr_dealloc_free
# define __attr_dealloc_free
#endif
#ifndef __attribute_malloc__
# define __attribute_malloc__
#endif

#ifdef __cplusplus
extern "C" {
#endif

// 1 if the first `size` bytes of `str` hold a byte that must be hex encoded (a NUL among
// them counts, and ends the scan), else 0.
//
// # Safety
// `str` is NULL, or readable up to `size` bytes or its first NUL.
int audit_value_needs_encoding(const char *str, unsigned int size) __attr_access ((__read_only__, 1)) __wur;

// Writes the `size` bytes of `buf` as 2 * `size` uppercase hex digits and a NUL into `final`,
// and returns `final` (NULL if `final` is NULL; an empty string if `buf` is NULL).
//
// # Safety
// `final` is NULL or has 2 * `size` + 1 writable bytes; `buf` is NULL or has `size` readable
// bytes.
char *audit_encode_value(char *final, const char *buf, unsigned int size) __attr_access ((__write_only__, 1)) __attr_access ((__read_only__, 2));

// `name=HEX` or `name="value"` (`name="?"` for a NULL value) in memory from malloc, which the
// caller frees; NULL if out of memory. `vlen` 0 means the value's string length.
//
// # Safety
// `name` is NULL or a string; `value` is NULL or a string with at least `vlen` readable bytes.
char *audit_encode_nv_string(const char *name, const char *value, unsigned int vlen) __attr_access ((__read_only__, 2)) __attr_dealloc_free;

// # Safety
// `message`, `hostname`, `addr` and `tty` are NULL or strings.
int audit_log_user_message(int audit_fd, int type, const char *message, const char *hostname, const char *addr, const char *tty, int result) __wur;

// # Safety
// Every pointer is NULL or a string.
int audit_log_user_comm_message(int audit_fd, int type, const char *message, const char *comm, const char *hostname, const char *addr, const char *tty, int result) __wur;

// # Safety
// Every pointer is NULL or a string.
int audit_log_acct_message(int audit_fd, int type, const char *pgname, const char *op, const char *name, unsigned int id, const char *host, const char *addr, const char *tty, int result) __wur;

// # Safety
// `message`, `hostname`, `addr` and `tty` are NULL or strings.
int audit_log_user_avc_message(int audit_fd, int type, const char *message, const char *hostname, const char *addr, const char *tty, uid_t uid);

// # Safety
// Every pointer is NULL or a string.
int audit_log_semanage_message(int audit_fd, int type, const char *pgname, const char *op, const char *name, unsigned int id, const char *new_seuser, const char *new_role, const char *new_range, const char *old_seuser, const char *old_role, const char *old_range, const char *host, const char *addr, const char *tty, int result);

// # Safety
// `command` and `tty` are NULL or strings.
int audit_log_user_command(int audit_fd, int type, const char *command, const char *tty, int result) __wur;

int audit_open(void) __wur;

void audit_close(int fd);

#ifdef __cplusplus
}
#endif

#endif /* _AUDIT_LOGGING_H */
