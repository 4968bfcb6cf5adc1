/* audit_syscall_to_name and audit_name_to_syscall: every number -1..2047 on every machine value
 * -2..12 (one line per 32 numbers that name anything), every name found looked up back on its
 * own machine (exactly, upper-cased, and on every other machine), aliases, unknown and NULL. */
#include "harness.h"
#include <ctype.h>
#include <limits.h>
#include <string.h>

#define MAX_SC 2048
#define MIN_MACHINE (-2)
#define MAX_MACHINE 12

static const char *names[MAX_MACHINE - MIN_MACHINE + 1][MAX_SC];

static void upper(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = toupper((unsigned char)src[i]);
	dst[i] = 0;
}

int main(void)
{
	char buf[128], line[4096];
	int m, other, sc, i;

	h_init();
	for (m = MIN_MACHINE; m <= MAX_MACHINE; m++) {
		int found = 0;

		for (sc = -1; sc < MAX_SC; sc++) {
			const char *name = audit_syscall_to_name(sc, m);

			if (sc < 0 || name == NULL) {
				if (sc < 0 && name)
					printf("machine %d: %d named %s\n", m, sc, name);
				continue;
			}
			names[m - MIN_MACHINE][sc] = name;
			found++;
			/* Static data: the same pointer every time. */
			h_check(audit_syscall_to_name(sc, m) == name, "stable pointer");
			if (audit_name_to_syscall(name, m) != sc)
				printf("machine %d: %s -> %d, not %d\n", m, name,
				       audit_name_to_syscall(name, m), sc);
			upper(buf, name, sizeof buf);
			if (audit_name_to_syscall(buf, m) != sc)
				printf("machine %d: %s -> %d\n", m, buf, audit_name_to_syscall(buf, m));
		}
		printf("machine %d: %d syscalls\n", m, found);
		for (sc = 0; sc < MAX_SC; sc += 32) {
			int any = 0;

			line[0] = 0;
			for (i = sc; i < sc + 32; i++) {
				const char *name = names[m - MIN_MACHINE][i];

				any |= name != NULL;
				strcat(line, " ");
				strcat(line, name ? name : "-");
			}
			if (any)
				printf("m%d %d:%s\n", m, sc, line);
		}
	}

	/* Every name on every machine: how many are found, and the sum of their numbers. */
	for (m = MIN_MACHINE; m <= MAX_MACHINE; m++) {
		for (other = MIN_MACHINE; other <= MAX_MACHINE; other++) {
			long found = 0, sum = 0;

			for (sc = 0; sc < MAX_SC; sc++) {
				const char *name = names[m - MIN_MACHINE][sc];
				int n;

				if (name == NULL)
					continue;
				n = audit_name_to_syscall(name, other);
				if (n >= 0) {
					found++;
					sum += n;
				}
			}
			if (found)
				printf("names of %d on %d: %ld found, sum %ld\n", m, other, found, sum);
		}
	}

	printf("extremes: %p %p %p\n", (void *)audit_syscall_to_name(INT_MIN, MACH_86_64),
	       (void *)audit_syscall_to_name(INT_MAX, MACH_86_64),
	       (void *)audit_syscall_to_name(2, INT_MIN));
	/* Names the number-to-name direction never returns. */
	printf("madvise1 on i386: %d\n", audit_name_to_syscall("madvise1", MACH_X86));
	{
		static const char *odd[] = { "", "open ", " open", "open\n", "opeN", "OPEN", "open2",
					     "o", "0", "2", "-1", "\xc3\xa9", "_llseek", "llseek" };
		for (i = 0; i < (int)(sizeof odd / sizeof *odd); i++)
			printf("'%s': %d %d %d\n", odd[i], audit_name_to_syscall(odd[i], MACH_86_64),
			       audit_name_to_syscall(odd[i], MACH_X86),
			       audit_name_to_syscall(odd[i], MACH_AARCH64));
	}
	{
		static char huge[100000];

		memset(huge, 'a', sizeof huge - 1);
		printf("huge: %d\n", audit_name_to_syscall(huge, MACH_86_64));
	}
	errno = EBADF;
	h_rc("NULL", audit_name_to_syscall(NULL, MACH_86_64));
	h_rc("NULL on no machine", audit_name_to_syscall(NULL, 99));
	return h_done();
}
