/* audit_value_needs_encoding, audit_encode_value, audit_encode_nv_string over every byte value
 * and the edge cases of their lengths. */
#include "harness.h"
#include <stdlib.h>
#include <string.h>

/* NULL the compiler cannot see, for arguments the header declares as sized buffers. */
static const char *volatile nothing;

static void nv(const char *label, const char *name, const char *value, unsigned vlen)
{
	char *s = audit_encode_nv_string(name, value, vlen);
	printf("nv %s: %s\n", label, s ? s : "NULL");
	free(s);
}

int main(void)
{
	char all[256], hex[513], *long_value;
	unsigned i;
	h_init();

	printf("needs_encoding by byte:");
	for (i = 0; i < 256; i++) {
		char s[2] = { (char)i, 'a' };
		if (i % 32 == 0)
			printf("\n");
		printf("%d", audit_value_needs_encoding(s, i ? 1 : 2));
	}
	printf("\n");
	printf("NULL: %d\n", audit_value_needs_encoding(nothing, 5));
	printf("size 0: %d\n", audit_value_needs_encoding("\"", 0));
	printf("clean: %d\n", audit_value_needs_encoding("abc", 3));
	printf("size past the NUL: %d\n", audit_value_needs_encoding("abc", 4));
	printf("quote after size: %d\n", audit_value_needs_encoding("ab\"", 2));

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	memset(hex, 'Z', sizeof hex);
	h_check(audit_encode_value(hex, all, 256) == hex, "returns final");
	printf("encode all: %s\n", hex);
	memset(hex, 'Z', sizeof hex);
	h_check(audit_encode_value(hex, nothing, 7) == hex, "NULL buf returns final");
	printf("encode NULL buf: [%s]\n", hex);
	memset(hex, 'Z', sizeof hex);
	printf("encode size 0: [%s]\n", audit_encode_value(hex, all, 0));
	printf("encode NULL final: %p\n", (void *)audit_encode_value((char *)nothing, all, 3));
	printf("encode embedded NUL: %s\n", audit_encode_value(hex, "ab\0cd", 5));

	nv("plain", "acct", "bob", 0);
	nv("space", "acct", "b o b", 0);
	nv("NULL value", "acct", NULL, 0);
	nv("NULL value with length", "acct", nothing, 4);
	nv("empty", "acct", "", 0);
	nv("short vlen, clean prefix", "acct", "abc def", 3);
	nv("short vlen, dirty prefix", "acct", "a c def", 3);
	nv("embedded NUL", "acct", "ab\0cd", 5);
	nv("high bit", "name", "\xc3\xa9", 0);
	/* 4.1 on, the original crashes on a NULL name (c-tests/null_logging.c pins ours). */
	if (h_line() < 40102)
		nv("NULL name", NULL, "v", 0);
	nv("empty name", "", "v v", 0);
	long_value = malloc(10001);
	memset(long_value, 'v', 10000);
	long_value[10000] = 0;
	nv("10000 clean", "x", long_value, 0);
	long_value[5000] = '\n';
	nv("10000 dirty", "x", long_value, 0);
	free(long_value);
	return h_done();
}
