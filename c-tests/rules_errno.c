/* errno after the rule builders, which the other rule tests do not all print: each call starts
 * from a sentinel errno, so that a value reset to 0 shows as well as one set. Syscalls by name
 * and number (strtol overflow), watches and permissions (with their messages through stderr,
 * syslog or nowhere), and field pairs whose lookups fail (users, groups, errno names, machines,
 * record types), each in every message mode, since a message on the way out may touch errno. */
#include "harness.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern unsigned int _audit_elf;
extern int _audit_syscalladded, _audit_permadded, _audit_archadded, _audit_exeadded, _audit_filterfsadded;

#define ERRNO_SENTINEL 4242

static int cases;

static void arm(void)
{
	errno = ERRNO_SENTINEL;
}

static void report(const char *what, int rc)
{
	int e = errno;
	printf("%s: rc=%d errno=%d\n", what, rc, e);
	cases++;
}

/* Which mask words are set, as "word:bits" for the non-zero ones (all 64 set: "all"). */
static void mask(const struct audit_rule_data *r)
{
	int full = 1;
	for (int i = 0; i < AUDIT_BITMASK_SIZE; i++)
		full &= r->mask[i] == ~0u;
	if (full) {
		printf("  mask all\n");
		return;
	}
	printf("  mask");
	for (int i = 0; i < AUDIT_BITMASK_SIZE; i++)
		if (r->mask[i])
			printf(" %d:%x", i, r->mask[i]);
	putchar('\n');
}

static void syscalls(void)
{
	static const char *names[] = {
		"open", "all", "999", "0x10", "010", "08", "4294967296", "2147483648", "2048", "-1", "bogus", "",
		"99999999999999999999", "9223372036854775807", "9223372036854775808", "0x7fffffffffffffff",
		"0xffffffffffffffffff", "-99999999999999999999", " 5", "12abc", "ALL", "all ",
	};
	static const unsigned elves[] = { 0, 0xc000003e, 0x40000003, 0xc00000b7, 0x1234 };
	static const int numbers[] = { 0, 31, 2047, 2048, 65536, 2147483647 };
	struct audit_rule_data *r = audit_rule_create_data();
	char what[128];

	for (size_t e = 0; e < sizeof elves / sizeof *elves; e++)
		for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
			audit_rule_init_data(r);
			_audit_elf = elves[e];
			arm();
			int rc = audit_rule_syscallbyname_data(r, names[n]);
			snprintf(what, sizeof what, "byname elf=%x [%s]", elves[e], names[n]);
			report(what, rc);
			mask(r);
		}
	_audit_elf = 0;
	for (size_t n = 0; H_HAS_SYSCALL_DATA && n < sizeof numbers / sizeof *numbers; n++) {
		audit_rule_init_data(r);
		arm();
		int rc = audit_rule_syscall_data(r, numbers[n]);
		snprintf(what, sizeof what, "syscall %d", numbers[n]);
		report(what, rc);
	}
	audit_rule_free_data(r);
}

static void watches(void)
{
	static char long_path[5000];
	struct audit_rule_data *r = NULL;
	int rc;

	memset(long_path, 'p', sizeof long_path - 1);
	long_path[0] = '/';
	arm();
	rc = audit_add_watch(&r, "/etc/passwd");
	report("watch on NULL", rc);
	arm();
	rc = audit_add_watch(&r, "/etc/shadow");
	report("watch on a non-empty rule", rc);
	arm();
	rc = audit_update_watch_perms(r, 3);
	report("perms update", rc);
	audit_rule_free_data(r);

	r = audit_rule_create_data();
	arm();
	rc = audit_update_watch_perms(r, 3);
	report("perms on an empty rule", rc);
	arm();
	rc = audit_add_watch_dir(AUDIT_PERM, &r, "/x");
	report("bad type", rc);
	arm();
	rc = audit_add_watch_dir(AUDIT_DIR, &r, "");
	report("empty dir", rc);
	audit_rule_free_data(r);

	r = audit_rule_create_data();
	arm();
	rc = audit_add_watch(&r, "relative/path");
	report("relative path", rc);
	audit_rule_free_data(r);

	r = NULL;
	arm();
	rc = audit_add_watch(&r, long_path);
	report("path of 4999 bytes", rc);
	printf("  buflen=%u\n", r ? r->buflen : 0);
	audit_rule_free_data(r);

	/* A full rule: no room for the permission field. */
	r = audit_rule_create_data();
	r->field_count = AUDIT_MAX_FIELDS - 1;
	arm();
	rc = audit_update_watch_perms(r, 1);
	report("perms on a full rule", rc);
	audit_rule_free_data(r);
}

static void pairs(void)
{
	static const struct {
		const char *pair;
		int list;
	} cases_[] = {
		{ "uid=no-such-user-here", AUDIT_FILTER_EXIT },
		{ "auid=no-such-user-here", AUDIT_FILTER_EXIT },
		{ "gid=no-such-group-here", AUDIT_FILTER_EXIT },
		{ "obj_gid=no-such-group-here", AUDIT_FILTER_EXIT },
		{ "uid=root", AUDIT_FILTER_EXIT },
		{ "gid=root", AUDIT_FILTER_EXIT },
		{ "uid=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "uid=-99999999999999999999", AUDIT_FILTER_EXIT },
		{ "gid=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "inode=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "a0=0xffffffffffffffffff", AUDIT_FILTER_EXIT },
		{ "exit=ENOSUCH", AUDIT_FILTER_EXIT },
		{ "exit=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "arch=nonsense", AUDIT_FILTER_EXIT },
		{ "arch=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "arch=b64", AUDIT_FILTER_EXIT },
		{ "arch=ffffffffffffffffff", AUDIT_FILTER_EXIT },
		{ "msgtype=UNKNOWN[1300]", AUDIT_FILTER_USER },
		{ "msgtype=UNKNOWN[x]", AUDIT_FILTER_EXCLUDE },
		{ "msgtype=UNKNOWN[99999999999]", AUDIT_FILTER_USER },
		{ "msgtype=nonsense", AUDIT_FILTER_USER },
		{ "filetype=nonsense", AUDIT_FILTER_EXIT },
		{ "fstype=nonsense", AUDIT_FILTER_FS },
		{ "saddr_fam=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "sessionid=99999999999999999999", AUDIT_FILTER_EXIT },
		{ "perm=z", AUDIT_FILTER_EXIT },
		{ "bogus=1", AUDIT_FILTER_EXIT },
	};
	char pair[128], what[160];
	for (size_t i = 0; i < sizeof cases_ / sizeof *cases_; i++) {
		struct audit_rule_data *r = audit_rule_create_data();
		_audit_elf = 0;
		_audit_syscalladded = _audit_permadded = _audit_archadded = 0;
		_audit_exeadded = _audit_filterfsadded = 0;
		strcpy(pair, cases_[i].pair);
		arm();
		int rc = audit_rule_fieldpair_data(&r, pair, cases_[i].list);
		snprintf(what, sizeof what, "pair list=%d [%s]", cases_[i].list, cases_[i].pair);
		report(what, rc);
		audit_rule_free_data(r);
	}
	/* perm after an arch (4.0 on: the class's syscalls join the mask, names the arch lacks refused
	 * or, 4.1 on, left out), and without one (4.0 on: a note that the rule is slower). */
	static const char *arches[] = { NULL, "arch=b64", "arch=b32", "arch=aarch64", "arch=ppc64le" };
	static const char *perms[] = { "perm=r", "perm=w", "perm=x", "perm=a", "perm=rwxa", "perm=xq" };
	for (size_t i = 0; i < sizeof arches / sizeof *arches; i++)
		for (size_t j = 0; j < sizeof perms / sizeof *perms; j++)
			for (int list = AUDIT_FILTER_EXIT; list <= AUDIT_FILTER_EXCLUDE; list++) {
				struct audit_rule_data *r = audit_rule_create_data();
				_audit_elf = 0;
				_audit_syscalladded = _audit_permadded = _audit_archadded = 0;
				if (arches[i]) {
					strcpy(pair, arches[i]);
					audit_rule_fieldpair_data(&r, pair, AUDIT_FILTER_EXIT);
				}
				strcpy(pair, perms[j]);
				arm();
				int rc = audit_rule_fieldpair_data(&r, pair, list);
				snprintf(what, sizeof what, "pair list=%d [%s] after [%s] (syscalls added %d)", list,
					 perms[j], arches[i] ? arches[i] : "no arch", _audit_syscalladded);
				report(what, rc);
				mask(r);
				audit_rule_free_data(r);
			}
	_audit_elf = 0;
	_audit_syscalladded = _audit_permadded = _audit_archadded = 0;
	static const char *comparisons[] = { "uid=bogus", "bogus!=uid", "uid=gid", "uid", "auid!=euid" };
	for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons; i++) {
		struct audit_rule_data *r = audit_rule_create_data();
		strcpy(pair, comparisons[i]);
		arm();
		int rc = audit_rule_interfield_comp_data(&r, pair, AUDIT_FILTER_EXIT);
		snprintf(what, sizeof what, "comparison [%s]", comparisons[i]);
		report(what, rc);
		audit_rule_free_data(r);
	}
}

int main(void)
{
	static const struct {
		message_t mode;
		debug_message_t debug;
		const char *name;
	} modes[] = {
		{ MSG_STDERR, DBG_YES, "stderr" },
		{ MSG_SYSLOG, DBG_YES, "syslog" },
		{ MSG_QUIET, DBG_NO, "quiet" },
	};
	h_init();
	/* Messages in stderr mode are compared too. */
	dup2(1, 2);
	setvbuf(stderr, NULL, _IONBF, 0);
	/* The first filter-fs and exclude pairs ask the kernel for its features, once per process: do
	 * it here, where errno is not printed, so that every mode sees the same. */
	audit_get_features();
	syscalls();
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
		printf("== messages to %s\n", modes[m].name);
		set_aumessage_mode(modes[m].mode, modes[m].debug);
		watches();
		pairs();
	}
	printf("%d cases\n", cases);
	errno = 0;
	return h_done();
}
