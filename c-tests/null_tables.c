/* Every name lookup of the tables given NULL (c-tests/null_cases.h runs each in a forked child).
 * The original crashes on three (deviation T1); the others must answer as it does, errno untouched.
 * audit_name_to_uringop(NULL) is ours only (c-tests/lookup_names.c). */
#include "null_cases.h"

/* Through a volatile pointer, so that the compiler cannot see the NULL. */
static const char *volatile null_name;
static int machine;

static long syscall_null(void)
{
	return audit_name_to_syscall(null_name, machine);
}

#define LOOKUP(fn)                                  \
	static long fn##_null(void)                 \
	{                                           \
		errno = EBADF; /* must be untouched */ \
		return fn(null_name);               \
	}
LOOKUP(audit_name_to_field)
LOOKUP(audit_name_to_flag)
LOOKUP(audit_name_to_action)
LOOKUP(audit_name_to_msg_type)
LOOKUP(audit_name_to_machine)
LOOKUP(audit_name_to_errno)
LOOKUP(audit_name_to_ftype)
LOOKUP(audit_name_to_fstype)
LOOKUP(audit_determine_machine)

int main(void)
{
	static const int machines[] = { MACH_X86, MACH_86_64, MACH_IA64, MACH_PPC64, MACH_PPC, MACH_S390X, MACH_S390,
					MACH_ALPHA, MACH_ARM, MACH_AARCH64, MACH_PPC64LE, -1, 99 };
	char label[64];
	unsigned i;

	h_init();
	for (i = 0; i < sizeof machines / sizeof *machines; i++) {
		machine = machines[i];
		snprintf(label, sizeof label, "audit_name_to_syscall NULL machine %d", machine);
		same(label, syscall_null);
	}
	same("audit_name_to_field NULL", audit_name_to_field_null);
	same("audit_name_to_flag NULL", audit_name_to_flag_null);
	same("audit_name_to_action NULL", audit_name_to_action_null);
	crash_fixed("audit_name_to_msg_type NULL", audit_name_to_msg_type_null, -1, EBADF);
	same("audit_name_to_machine NULL", audit_name_to_machine_null);
	crash_fixed("audit_name_to_errno NULL", audit_name_to_errno_null, 0, EBADF);
	same("audit_name_to_ftype NULL", audit_name_to_ftype_null);
	same("audit_name_to_fstype NULL", audit_name_to_fstype_null);
	crash_fixed("audit_determine_machine NULL", audit_determine_machine_null, -4, EBADF);
	return h_done();
}
