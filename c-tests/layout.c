/* The layout of every structure libaudit.h declares or uses, its enums and its typedefs' sizes,
 * as the line's header (H_LINE) has them: MACH_IO_URING from 3.1, MACH_RISCV32/64 from 4.1,
 * message_t and debug_message_t up to 4.0 (4.1 dropped them from the header). Compiled against
 * each line's real header here (c_conformance), and by tests/layout.rs against each line's real
 * header and against include/<line>/libaudit.h, whose outputs must be identical. Lines are
 * "struct.field offset size" and "sizeof struct size align", which tests/layout.rs also checks
 * against the Rust definitions. */
#include "harness.h"
#include <stdalign.h>

#define TYPE(t) printf("sizeof %s %zu %zu\n", #t, sizeof(t), alignof(t))
#define FIELD(s, f) \
	printf("%s.%s %zu %zu\n", #s, #f, offsetof(struct s, f), sizeof(((struct s *)0)->f))
/* A flexible array member: no size of its own. */
#define TAIL(s, f) printf("%s.%s %zu 0\n", #s, #f, offsetof(struct s, f))
#define VALUE(e) printf("%s = %lld\n", #e, (long long)(e))

int main(void)
{
	h_init();

	TYPE(struct audit_reply);
	FIELD(audit_reply, type);
	FIELD(audit_reply, len);
	FIELD(audit_reply, nlh);
	FIELD(audit_reply, msg);
	FIELD(audit_reply, status);
	FIELD(audit_reply, ruledata);
	FIELD(audit_reply, login);
	FIELD(audit_reply, message);
	FIELD(audit_reply, error);
	FIELD(audit_reply, signal_info);
	FIELD(audit_reply, conf);
	FIELD(audit_reply, features);

	TYPE(struct audit_message);
	FIELD(audit_message, nlh);
	FIELD(audit_message, data);

	TYPE(struct audit_sig_info);
	FIELD(audit_sig_info, uid);
	FIELD(audit_sig_info, pid);
	FIELD(audit_sig_info, ctx);

	TYPE(struct audit_dispatcher_header);
	FIELD(audit_dispatcher_header, ver);
	FIELD(audit_dispatcher_header, hlen);
	FIELD(audit_dispatcher_header, type);
	FIELD(audit_dispatcher_header, size);

	TYPE(struct audit_status);
	FIELD(audit_status, mask);
	FIELD(audit_status, enabled);
	FIELD(audit_status, failure);
	FIELD(audit_status, pid);
	FIELD(audit_status, rate_limit);
	FIELD(audit_status, backlog_limit);
	FIELD(audit_status, lost);
	FIELD(audit_status, backlog);
	FIELD(audit_status, version);
	FIELD(audit_status, feature_bitmap);
	FIELD(audit_status, backlog_wait_time);
	FIELD(audit_status, backlog_wait_time_actual);

	TYPE(struct audit_rule_data);
	FIELD(audit_rule_data, flags);
	FIELD(audit_rule_data, action);
	FIELD(audit_rule_data, field_count);
	FIELD(audit_rule_data, mask);
	FIELD(audit_rule_data, fields);
	FIELD(audit_rule_data, values);
	FIELD(audit_rule_data, fieldflags);
	FIELD(audit_rule_data, buflen);
	TAIL(audit_rule_data, buf);

	TYPE(struct audit_features);
	FIELD(audit_features, vers);
	FIELD(audit_features, mask);
	FIELD(audit_features, features);
	FIELD(audit_features, lock);

	TYPE(struct nlmsghdr);
	FIELD(nlmsghdr, nlmsg_len);
	FIELD(nlmsghdr, nlmsg_type);
	FIELD(nlmsghdr, nlmsg_flags);
	FIELD(nlmsghdr, nlmsg_seq);
	FIELD(nlmsghdr, nlmsg_pid);

	TYPE(struct nlmsgerr);
	FIELD(nlmsgerr, error);
	FIELD(nlmsgerr, msg);

	TYPE(machine_t);
	VALUE(MACH_X86);
	VALUE(MACH_86_64);
	VALUE(MACH_IA64);
	VALUE(MACH_PPC64);
	VALUE(MACH_PPC);
	VALUE(MACH_S390X);
	VALUE(MACH_S390);
	VALUE(MACH_ALPHA);
	VALUE(MACH_ARM);
	VALUE(MACH_AARCH64);
	VALUE(MACH_PPC64LE);
#if H_LINE >= 30102
	VALUE(MACH_IO_URING);
#endif
#if H_LINE >= 40102
	VALUE(MACH_RISCV32);
	VALUE(MACH_RISCV64);
#endif
	TYPE(auditfail_t);
	VALUE(FAIL_IGNORE);
	VALUE(FAIL_LOG);
	VALUE(FAIL_TERMINATE);
#if H_LINE < 40102
	TYPE(message_t);
	VALUE(MSG_STDERR);
	VALUE(MSG_SYSLOG);
	VALUE(MSG_QUIET);
	TYPE(debug_message_t);
	VALUE(DBG_NO);
	VALUE(DBG_YES);
#endif
	TYPE(reply_t);
	VALUE(GET_REPLY_BLOCKING);
	VALUE(GET_REPLY_NONBLOCKING);
	TYPE(rep_wait_t);
	VALUE(WAIT_NO);
	VALUE(WAIT_YES);
	/* An enum type is unsigned when no enumerator is negative: so is each typedef. */
	printf("unsigned: %d %d %d %d\n", (machine_t)-1 > 0, (auditfail_t)-1 > 0, (reply_t)-1 > 0,
	       (rep_wait_t)-1 > 0);
#if H_LINE < 40102
	printf("unsigned: %d %d\n", (message_t)-1 > 0, (debug_message_t)-1 > 0);
#endif
	return h_done();
}
