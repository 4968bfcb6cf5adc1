/* Every other table in both directions: record types, fields, lists, actions, operators, errno
 * names, file types, file system types, machines and AUDIT_ARCH values; the numeric forms of
 * record types; case, unknown, NULL and odd input; io_uring operations (3.1 on);
 * audit_detect_machine and audit_determine_machine. */
#include "harness.h"
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

static void fold(char *dst, const char *src, size_t size, int to_upper)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = to_upper ? toupper((unsigned char)src[i]) : tolower((unsigned char)src[i]);
	dst[i] = 0;
}

/* Sweeps i2s over [from, to) and checks each name found with s2i (if any), as stored and in the
 * other case; prints "what number name" for each. */
static void sweep(const char *what, long from, long to, long step, const char *(*i2s)(int),
		  int (*s2i)(const char *))
{
	char other[128];
	long n, found = 0;

	for (n = from; n < to; n += step) {
		const char *name = i2s((int)n);

		if (name == NULL)
			continue;
		found++;
		h_check(i2s((int)n) == name, "stable pointer");
		printf("%s %ld %s\n", what, n, name);
		if (s2i == NULL)
			continue;
		if (s2i(name) != n)
			printf("  %s -> %d\n", name, s2i(name));
		fold(other, name, sizeof other, islower((unsigned char)name[0]));
		if (s2i(other) != n)
			printf("  %s -> %d\n", other, s2i(other));
	}
	printf("%s: %ld in [%ld, %ld)\n", what, found, from, to);
}

static const char *odd[] = { "", " ", "x", "-", "0", "1", "-1", "1300", "0x10", "\xc3\xa9", "UNKNOWN[",
			     "UNKNOWN[]", "UNKNOWN[1300]", "UNKNOWN[ 77]", "UNKNOWN[-5]", "UNKNOWN[+9]",
			     "UNKNOWN[12345678901]", "UNKNOWN[12x]", "unknown[5]", "UNKNOWN[5", "1300abc",
			     "99999999999", "4294967297", "99999999999999999999", "000001300", "syscall",
			     "SYSCALL", "SysCall", "SYSCALL ", "EPERM", "eperm", "-EPERM", "--EPERM", "-eperm",
			     "- EPERM", "EWOULDBLOCK", "EDEADLOCK", "auid", "loginuid", "LOGINUID", "task",
			     "exit", "Exit", "filesystem", "entry", "always", "never", "possible", "file",
			     "dir", "DIR", "tracefs", "debugfs", "x86_64", "i686", "armv8l", "ARMV7L",
			     "ia64", "alpha", "b64" };

static void odd_inputs(void)
{
	unsigned i;

	for (i = 0; i < sizeof odd / sizeof *odd; i++) {
		int msg;

		errno = EBADF;
		msg = audit_name_to_msg_type(odd[i]);
		printf("'%s': msg %d (%s) field %d flag %d action %d errno %d ftype %d fstype %d machine %d\n",
		       odd[i], msg, errno == EBADF ? "errno kept" : errno == 0 ? "errno 0" : "errno ERANGE",
		       audit_name_to_field(odd[i]), audit_name_to_flag(odd[i]), audit_name_to_action(odd[i]),
		       audit_name_to_errno(odd[i]), audit_name_to_ftype(odd[i]), audit_name_to_fstype(odd[i]),
		       audit_name_to_machine(odd[i]));
	}
	{
		static char huge[100000];

		memset(huge, 'A', sizeof huge - 1);
		printf("huge: %d %d %d %d\n", audit_name_to_msg_type(huge), audit_name_to_field(huge),
		       audit_name_to_errno(huge), audit_name_to_machine(huge));
	}
	errno = EBADF;
	h_rc("NULL field", audit_name_to_field(NULL));
	errno = EBADF;
	h_rc("NULL flag", audit_name_to_flag(NULL));
	errno = EBADF;
	h_rc("NULL action", audit_name_to_action(NULL));
	errno = EBADF;
	h_rc("NULL ftype", audit_name_to_ftype(NULL));
	errno = EBADF;
	h_rc("NULL fstype", audit_name_to_fstype(NULL));
	errno = EBADF;
	h_rc("NULL machine", audit_name_to_machine(NULL));
	/* Deviation T1: the original dereferences NULL here; ours returns its "unknown" value. */
	if (h_is_ours()) {
		errno = EBADF;
		h_check(audit_name_to_msg_type(NULL) == -1 && errno == EBADF, "NULL record type: -1");
		h_check(audit_name_to_errno(NULL) == 0 && errno == EBADF, "NULL errno name: 0");
		h_check(audit_determine_machine(NULL) == -4 && errno == EBADF, "NULL arch: -4");
	}
	printf("NULL record type, errno name, arch: refused\n");
	errno = 0;
}

/* audit_name_to_uringop and audit_uringop_to_name: 3.1 on (looked up: 3.0.9 has neither). Each
 * line names its own set of operations (the survey's section 4), printed and compared whole; a
 * library without the lookups prints what an empty table does. */
static void uring_ops(void)
{
	int (*s2i)(const char *) = (int (*)(const char *))dlsym(RTLD_DEFAULT, "audit_name_to_uringop");
	const char *(*i2s)(int) = (const char *(*)(int))dlsym(RTLD_DEFAULT, "audit_uringop_to_name");

	if (s2i == NULL || i2s == NULL) {
		h_check(s2i == NULL && i2s == NULL, "both io_uring lookups or neither");
		printf("uringop: 0 in [-1000, 1000)\n");
		return;
	}
	sweep("uringop", -1000, 1000, 1, i2s, s2i);
	h_check(s2i("nop") == -1 && s2i("") == -1 && s2i("open") == -1 && i2s(IORING_OP_NOP) == NULL, "unknown ops");
}

static void machines(void)
{
	static const unsigned elves[] = { 0, 1, 0xffffffff, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64,
					  AUDIT_ARCH_PPC, AUDIT_ARCH_PPC64, AUDIT_ARCH_PPC64LE,
					  AUDIT_ARCH_S390, AUDIT_ARCH_S390X, AUDIT_ARCH_ARM,
					  AUDIT_ARCH_ARMEB, AUDIT_ARCH_AARCH64, AUDIT_ARCH_IA64,
					  AUDIT_ARCH_ALPHA, AUDIT_ARCH_MIPS, AUDIT_ARCH_RISCV64,
					  AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_64BIT };
	static const char *arches[] = { "b32", "B32", "b64", "B64", "b6", "b644", "x86_64", "X86_64",
					"i386", "i686", "ppc", "ppc64", "ppc64le", "s390", "s390x", "arm",
					"armv7l", "aarch64", "armv8l", "ia64", "alpha", "c000003e",
					"C000003E", "0xc000003e", "0XC000003E", " c000003e", "\tc000003e",
					"+c000003e", "-3fffffc2", "40000003", "40000028", "c00000b7",
					"80000015", "14", "c0000015", "80000016", "16", "1c000003e",
					"ffffffffc000003e", "ffffffffffffffffff", "0x", "0", "", "zz",
					"c000003eg", "c0000032", "riscv64" };
	unsigned i;
	int m, status;
	pid_t child;

	/* Under a 32-bit personality uname says i686: b64 is then refused. */
	fflush(stdout);
	child = fork();
	if (child == 0) {
		h_check(personality(PER_LINUX32) != -1, "personality");
		printf("linux32: detect %d b32 %d b64 %d\n", audit_detect_machine(), audit_determine_machine("b32"),
		       audit_determine_machine("b64"));
		fflush(stdout);
		_exit(0);
	}
	h_check(child > 0 && waitpid(child, &status, 0) == child && status == 0, "linux32 child");

	for (m = -20; m < 40; m++) {
		const char *name = audit_machine_to_name(m);
		unsigned elf = audit_machine_to_elf(m);

		if (name || elf)
			printf("machine %d %s elf %#x back %d\n", m, name ? name : "-", elf,
			       audit_elf_to_machine(elf));
		if (name && audit_name_to_machine(name) != m)
			printf("  %s -> %d\n", name, audit_name_to_machine(name));
	}
	printf("machine extremes: %p %u %u\n", (void *)audit_machine_to_name(INT_MIN),
	       audit_machine_to_elf(INT_MIN), audit_machine_to_elf(INT_MAX));
	for (i = 0; i < sizeof elves / sizeof *elves; i++)
		printf("elf %#x -> %d\n", elves[i], audit_elf_to_machine(elves[i]));
	errno = EBADF;
	h_rc("detect", audit_detect_machine());
	for (i = 0; i < sizeof arches / sizeof *arches; i++) {
		char what[64];

		snprintf(what, sizeof what, "determine '%s'", arches[i]);
		errno = EBADF;
		h_rc(what, audit_determine_machine(arches[i]));
	}
}

int main(void)
{
	long k;

	h_init();
	sweep("msg", -100, 10000, 1, audit_msg_type_to_name, audit_name_to_msg_type);
	sweep("field", -100, 4096, 1, audit_field_to_name, audit_name_to_field);
	sweep("flag", -100, 4096, 1, audit_flag_to_name, audit_name_to_flag);
	sweep("action", -100, 4096, 1, audit_action_to_name, audit_name_to_action);
	sweep("errno", -5000, 5000, 1, audit_errno_to_name, audit_name_to_errno);
	sweep("ftype", -100, 0x20000, 1, audit_ftype_to_name, audit_name_to_ftype);
	sweep("fstype", -100, 0x20000, 1, audit_fstype_to_name, audit_name_to_fstype);
	sweep("op", -100, 4096, 1, audit_operator_to_symbol, NULL);
	/* Operators and file system magic numbers are large: every multiple of 2^20. */
	for (k = INT_MIN; k <= INT_MAX; k += 1 << 20) {
		const char *op = audit_operator_to_symbol((int)k), *fs = audit_fstype_to_name((int)k);

		if (op || fs)
			printf("%#lx: op %s fstype %s\n", k, op ? op : "-", fs ? fs : "-");
	}
	{
		static const unsigned magic[] = { 0x74726163, 0x64626720, 0x01021994, 0x9fa0, 0x62656572,
						  0xEF53, 0x58465342, 0x9123683E, 0x6969 };
		unsigned i;

		for (i = 0; i < sizeof magic / sizeof *magic; i++)
			printf("fstype %#x: %s\n", magic[i],
			       audit_fstype_to_name(magic[i]) ? audit_fstype_to_name(magic[i]) : "-");
	}
	odd_inputs();
	uring_ops();
	machines();
	return h_done();
}
