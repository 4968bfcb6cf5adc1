/* _audit_parse_syscall (exported from 4.0.2 on; 4.x auditctl's -S calls it): one syscall name or
 * number, or a comma-separated list, added to a rule's mask for the current _audit_elf. Return
 * values, the mask and fields, and the message for an unknown name in a list. On a library
 * that does not export it (3.x) only that is printed. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern unsigned int _audit_elf;

typedef int (*parse_fn)(const char *, struct audit_rule_data *);

static void dump(const char *label, const struct audit_rule_data *r, int rc)
{
	unsigned i, set = 0;
	printf("%s: rc=%d fields=%u flags=%x action=%x mask:", label, rc, r->field_count, r->flags, r->action);
	for (i = 0; i < AUDIT_BITMASK_SIZE; i++) {
		if (r->mask[i])
			printf(" %u:%08x", i, r->mask[i]);
		set += r->mask[i] != 0;
	}
	printf(" (%u words)\n", set);
	fflush(stdout);
}

static void parse(parse_fn fn, unsigned elf, const char *list)
{
	struct audit_rule_data *r = audit_rule_create_data();
	char label[200];
	int rc;

	_audit_elf = elf;
	errno = 0;
	rc = fn(list, r);
	snprintf(label, sizeof label, "elf %x \"%.120s\" errno=%d", elf, list, errno);
	dump(label, r, rc);
	audit_rule_free_data(r);
}

int main(void)
{
	static const char *const lists[] = {
		"open", "openat", "2", "0", "-1", "999999", "all", "ALL", "Open", "bogus", "",
		"open,close", "open,,close,", ",open", ",", ",,,", "open,bogus,close", "bogus,open",
		"open,999999", "open,-5", "2,3,257", "all,open", "open,all", "open, close", " open",
		"read,write,openat,close,stat,fstat,lstat,poll,lseek,mmap,mprotect,munmap,brk",
		"open\tclose", "open;close",
	};
	static const unsigned elves[] = { 0, AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0x1234 };
	parse_fn fn;
	void (*set_mode)(int, int);
	char *longest;
	size_t i, j;

	h_init();
	fn = (parse_fn)dlsym(RTLD_DEFAULT, "_audit_parse_syscall");
	if (fn == NULL) {
		printf("_audit_parse_syscall: not exported\n");
		return h_done();
	}
	/* The library's own message for an unknown name in a list, on stdout in line with ours.
	 * Through dlsym: 4.1.2's header no longer declares it (nor message_t); 0 is MSG_STDERR. */
	set_mode = (void (*)(int, int))dlsym(RTLD_DEFAULT, "set_aumessage_mode");
	h_check(set_mode != NULL, "set_aumessage_mode is exported");
	set_mode(0, 0);
	fflush(stdout);
	dup2(1, 2);
	for (j = 0; j < sizeof elves / sizeof *elves; j++)
		for (i = 0; i < sizeof lists / sizeof *lists; i++)
			parse(fn, elves[j], lists[i]);

	/* A long list: the x86_64 syscalls by name. */
	longest = calloc(1, 64 * 1024);
	h_check(longest != NULL, "calloc");
	for (i = 0; i < 451; i++) { /* every line names the same below 451 (cachestat) */
		const char *name = audit_syscall_to_name((int)i, MACH_86_64);
		if (name) {
			strcat(longest, name);
			strcat(longest, ",");
		}
	}
	parse(fn, AUDIT_ARCH_X86_64, longest);
	free(longest);

	/* The same rule twice: bits accumulate, nothing else changes. */
	{
		struct audit_rule_data *r = audit_rule_create_data();
		int a, b;
		_audit_elf = 0;
		a = fn("open,close", r);
		b = fn("read", r);
		printf("twice: %d %d\n", a, b);
		dump("twice", r, b);
		audit_rule_free_data(r);
	}
	return h_done();
}
