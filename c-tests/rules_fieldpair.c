/* audit_rule_fieldpair_data and audit_rule_interfield_comp_data: sweeps of field x operator x
 * value x filter list, valid and invalid. For each: the return code, the caller's pair string
 * afterwards (the original writes NULs at the operator), the _audit_* variables, every byte of
 * the rule that changed (fixed part and buf), errno, and the library's messages (stderr is
 * stdout). */
#include "harness.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exported by libaudit, declared only in its private header; auditctl declares them the same way
 * (and, being PIE, gets copy relocations for them, as this program does). */
extern unsigned int _audit_elf;
extern int _audit_syscalladded, _audit_permadded, _audit_archadded, _audit_exeadded, _audit_filterfsadded;

/* errno before each call: no call sets it to this. */
#define ERRNO_SENTINEL 4242

/* The slots' prior contents are visible: a refused pair may leave some written. */
#define PATTERN 0xa5a5a5a5u

static const char *fields[] = {
	"pid", "uid", "euid", "suid", "fsuid", "gid", "egid", "sgid", "fsgid", "auid", "loginuid",
	"pers", "arch", "msgtype", "subj_user", "subj_role", "subj_type", "subj_sen", "subj_clr",
	"ppid", "obj_user", "obj_role", "obj_type", "obj_lev_low", "obj_lev_high", "loginuid_set",
	"sessionid", "fstype", "devmajor", "devminor", "inode", "exit", "success", "path", "perm",
	"dir", "filetype", "obj_uid", "obj_gid", "field_compare", "exe", "saddr_fam", "a0", "a1",
	"a2", "a3", "key", "UID", "Key", "bogus", "ouid", "ogid",
};
static const char *ops[] = { "=", "!=", "<", ">", "<=", ">=", "&", "&=" };
static const char *values[] = {
	"0", "1", "-1", "0x10", "010", "08", "12abc", "4294967295", "4294967296",
	"99999999999999999999", "-99999999999999999999", "root", "nobody", "unset", "abc",
	"EPERM", "-EACCES", "eperm", "ENOSUCH", "SYSCALL", "user_login", "UNKNOWN[1234]", "1100",
	"file", "dir", "socket", "rwxa", "RW", "rwxax", "q", "b64", "b32", "x86_64", "i386",
	"c000003e", "0xc000003e", "40000003", "aarch64", "ppc", "tmpfs", "debugfs", "0x62656572",
	"/bin/ls", "key1", "45", "46", " 7", "+7", "ffffffffffffffffffffffff", "0xffffffffffffffffff",
};
static const int lists[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void reset_globals(void)
{
	_audit_elf = 0;
	_audit_syscalladded = _audit_permadded = _audit_archadded = 0;
	_audit_exeadded = _audit_filterfsadded = 0;
}

static struct audit_rule_data *fresh(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	for (int i = 0; i < AUDIT_MAX_FIELDS; i++)
		r->fields[i] = r->values[i] = r->fieldflags[i] = PATTERN;
	return r;
}

/* Every 32-bit word that differs from fresh(), then buf. */
static void dump(const struct audit_rule_data *r)
{
	struct audit_rule_data *ref = fresh();
	const uint32_t *a = (const uint32_t *)r, *b = (const uint32_t *)ref;
	for (size_t i = 0; i < sizeof(*r) / 4; i++)
		if (a[i] != b[i])
			printf(" %zu:%x", i, a[i]);
	printf(" buf=");
	for (unsigned i = 0; i < r->buflen; i++)
		printf("%02x", (unsigned char)r->buf[i]);
	audit_rule_free_data(ref);
}

static void show_pair(const char *pair, size_t len)
{
	printf(" pair=");
	for (size_t i = 0; i < len; i++)
		putchar(pair[i] ? pair[i] : '|');
}

static void globals(void)
{
	printf(" g=%x/%d%d%d%d%d", _audit_elf, _audit_syscalladded, _audit_permadded,
	       _audit_archadded, _audit_exeadded, _audit_filterfsadded);
}

/* Applies one pair (fieldpair, or comparison when cmp) to rule *r and prints the outcome. */
static int apply(struct audit_rule_data **r, const char *text, int list, int cmp)
{
	char pair[8192];
	size_t len = strlen(text);
	int rc;

	/* A sentinel, so that errno reset to 0 shows as well as errno set. */
	memcpy(pair, text, len + 1);
	errno = ERRNO_SENTINEL;
	rc = cmp ? audit_rule_interfield_comp_data(r, pair, list) :
		   audit_rule_fieldpair_data(r, pair, list);
	printf("%s list=%d [%.60s] rc=%d errno=%d", cmp ? "C" : "F", list, text, rc, errno);
	show_pair(pair, len > 60 ? 60 : len);
	globals();
	return rc;
}

static void one(const char *text, int list, int cmp)
{
	struct audit_rule_data *r = fresh();
	reset_globals();
	apply(&r, text, list, cmp);
	dump(r);
	putchar('\n');
	audit_rule_free_data(r);
}

static int combos;

static void sweeps(void)
{
	char pair[256];
	size_t nf = sizeof fields / sizeof *fields, no = sizeof ops / sizeof *ops;
	size_t nv = sizeof values / sizeof *values, nl = sizeof lists / sizeof *lists;

	/* Every field with every operator on every list. */
	for (size_t f = 0; f < nf; f++)
		for (size_t o = 0; o < no; o++)
			for (size_t l = 0; l < nl; l++) {
				snprintf(pair, sizeof pair, "%s%s1", fields[f], ops[o]);
				one(pair, lists[l], 0);
				combos++;
			}
	/* Every field with every value, on the lists where values mean something. */
	static const int value_lists[] = { AUDIT_FILTER_EXIT, AUDIT_FILTER_USER, AUDIT_FILTER_EXCLUDE, AUDIT_FILTER_FS };
	for (size_t f = 0; f < nf; f++)
		for (size_t v = 0; v < nv; v++)
			for (size_t l = 0; l < 4; l++) {
				snprintf(pair, sizeof pair, "%s=%s", fields[f], values[v]);
				one(pair, value_lists[l], 0);
				combos++;
			}
	/* Comparisons: every id field against every other, both operators, exit and user lists. */
	static const char *ids[] = { "uid", "euid", "suid", "fsuid", "auid", "obj_uid", "gid", "egid",
				     "sgid", "fsgid", "obj_gid", "pid", "bogus" };
	size_t ni = sizeof ids / sizeof *ids;
	for (size_t a = 0; a < ni; a++)
		for (size_t b = 0; b < ni; b++)
			for (int neg = 0; neg < 2; neg++)
				for (int l = 0; l < 2; l++) {
					snprintf(pair, sizeof pair, "%s%s%s", ids[a], neg ? "!=" : "=", ids[b]);
					one(pair, l ? AUDIT_FILTER_USER : AUDIT_FILTER_EXIT, 1);
					combos++;
				}
}

/* audit_name_to_msg_type's numeric forms as msgtype values: "UNKNOWN[n]" sets errno to 0 (n is
 * read from at most 7 characters), a plain number goes through strtol (errno only on overflow). */
static void msgtype_forms(void)
{
	static const char *forms[] = {
		"UNKNOWN[1234]", "UNKNOWN[0]", "UNKNOWN[-5]", "UNKNOWN[ 7]", "UNKNOWN[+9]", "UNKNOWN[0x10]",
		"UNKNOWN[12345678901]", "UNKNOWN[99999999999999999999]", "UNKNOWN[abc]", "UNKNOWN[12x]",
		"UNKNOWN[]", "UNKNOWN[12", "UNKNOWN[", "UNKNOWN", "unknown[5]", "UNKNOWN[5]]", "UNKNOWN[5]x",
		"1300", "99999999999999999999", "-1", "login", "bogus",
	};
	static const int form_lists[] = { AUDIT_FILTER_USER, AUDIT_FILTER_EXCLUDE, AUDIT_FILTER_EXIT };
	char pair[256];
	for (size_t f = 0; f < sizeof forms / sizeof *forms; f++)
		for (size_t l = 0; l < sizeof form_lists / sizeof *form_lists; l++) {
			snprintf(pair, sizeof pair, "msgtype=%s", forms[f]);
			one(pair, form_lists[l], 0);
			combos++;
		}
}

static const char *shapes[] = {
	"uid", "=1", "uid=", "!=", "uid<>1", "uid=>1", "uid=<1", "uid&&1", "a=b!=c", "a<b>=c",
	"uid>=1<=2", "uid = 1", " uid=1", "uid=1 ", "uid==1", "uid!==1", "uid=!1", "", "=", "&",
	"key=a=b", "path=/a!=b", "exe=/bin/a<b",
};

static void pair_shapes(void)
{
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
		one(shapes[i], AUDIT_FILTER_EXIT, 0);
		one(shapes[i], AUDIT_FILTER_EXIT, 1);
		combos += 2;
	}
}

/* Several pairs into one rule: order, state and growth. */
static void sequence(const char *title, int list, const char **pairs, int set_syscall)
{
	struct audit_rule_data *r = fresh();
	reset_globals();
	_audit_syscalladded = set_syscall;
	printf("sequence %s\n", title);
	for (; *pairs; pairs++) {
		int cmp = (*pairs)[0] == '~';
		printf(" ");
		apply(&r, *pairs + cmp, list, cmp);
		putchar('\n');
		combos++;
	}
	dump(r);
	putchar('\n');
	audit_rule_free_data(r);
}

static void sequences(void)
{
	const char *keyfirst[] = { "key=early", "path=/etc/passwd", "key=late", "perm=wa", NULL };
	const char *strings[] = { "path=/etc", "key=k1", "exe=/usr/bin/x", "obj_user=u", "subj_role=r",
				  "dir=/var", "key=k2", "uid=0", NULL };
	const char *arch_after[] = { "arch=b64", "uid=0", NULL };
	const char *arch_twice[] = { "arch=b32", "arch=b64", "arch=0x99", "arch=nonsense", NULL };
	const char *errno_then_session[] = { "exit=ENOSUCH", "sessionid=zzz", "sessionid=5", NULL };
	const char *cmp_and_fields[] = { "uid=0", "~auid!=uid", "~euid=obj_uid", "~gid=sgid", NULL };
	const char *fs[] = { "fstype=debugfs", "key=fs", NULL };
	sequence("key before anything", AUDIT_FILTER_EXIT, keyfirst, 0);
	sequence("strings grow buf", AUDIT_FILTER_EXIT, strings, 0);
	sequence("arch after a syscall", AUDIT_FILTER_EXIT, arch_after, 1);
	sequence("arch twice", AUDIT_FILTER_EXIT, arch_twice, 0);
	sequence("slot reuse after refusal", AUDIT_FILTER_EXIT, errno_then_session, 0);
	sequence("comparisons among fields", AUDIT_FILTER_EXIT, cmp_and_fields, 0);
	sequence("fs list", AUDIT_FILTER_FS, fs, 0);
}

static void limits(void)
{
	static char big[5000];
	struct audit_rule_data *r;
	char pair[8192];
	int i, rc;

	/* 64 fields: the 64th is refused, before the pair is split. */
	r = fresh();
	reset_globals();
	for (i = 0; i < 64; i++) {
		snprintf(pair, sizeof pair, "a%d=%d", i % 4, i);
		rc = audit_rule_fieldpair_data(&r, pair, AUDIT_FILTER_EXIT);
		if (rc)
			printf("field %d: rc=%d pair=%s\n", i, rc, pair);
	}
	strcpy(pair, "uid=euid");
	printf("comparison when full: rc=%d pair=%s\n", audit_rule_interfield_comp_data(&r, pair, AUDIT_FILTER_EXIT), pair);
	printf("perms when full: rc=%d\n", audit_update_watch_perms(r, 3));
	dump(r);
	putchar('\n');
	audit_rule_free_data(r);

	/* Key and path lengths around their limits. */
	static const size_t key_lens[] = { 255, 256, 257 }, path_lens[] = { 4095, 4096, 4097 };
	for (i = 0; i < 3; i++) {
		memset(big, 'k', key_lens[i]);
		big[key_lens[i]] = 0;
		snprintf(pair, sizeof pair, "key=%s", big);
		r = fresh();
		reset_globals();
		_audit_permadded = 1;
		rc = audit_rule_fieldpair_data(&r, pair, AUDIT_FILTER_EXIT);
		printf("key of %zu: rc=%d buflen=%u\n", key_lens[i], rc, rc ? 0 : r->buflen);
		audit_rule_free_data(r);
		memset(big, 'p', path_lens[i]);
		big[path_lens[i]] = 0;
		snprintf(pair, sizeof pair, "path=%s", big);
		r = fresh();
		rc = audit_rule_fieldpair_data(&r, pair, AUDIT_FILTER_EXIT);
		printf("path of %zu: rc=%d buflen=%u\n", path_lens[i], rc, rc ? 0 : r->buflen);
		audit_rule_free_data(r);
		combos += 2;
	}

	r = fresh();
	printf("NULL pair: rc=%d\n", audit_rule_fieldpair_data(&r, NULL, AUDIT_FILTER_EXIT));
	printf("NULL comparison: rc=%d\n", audit_rule_interfield_comp_data(&r, NULL, AUDIT_FILTER_EXIT));
	audit_rule_free_data(r);
}

int main(void)
{
	h_init();
	/* The library's messages (unknown user, ...) are compared too. */
	set_aumessage_mode(MSG_STDERR, DBG_NO);
	dup2(1, 2);
	setvbuf(stderr, NULL, _IONBF, 0);
	sweeps();
	msgtype_forms();
	pair_shapes();
	sequences();
	limits();
	printf("%d combinations\n", combos);
	return h_done();
}
