/* Every pointer argument of the rule exports given NULL (c-tests/null_cases.h runs each in a
 * forked child): rule, rulep, *rulep, pair, syscall name, watch path, mount point and subtree.
 * Where the original dereferences NULL ours returns the errors of deviation R2; the other cases
 * must answer as the original does. */
#include "null_cases.h"
#include <dlfcn.h>

/* Exported by libaudit, not declared in libaudit.h. */

/* Through volatile pointers, so that the compiler cannot see the NULLs. */
static const char *volatile null_text;
static struct audit_rule_data *volatile null_rule;
static struct audit_rule_data **volatile null_rulep;

static long init_null(void)
{
	audit_rule_init_data(null_rule);
	return 0;
}

static long free_null(void)
{
	audit_rule_free_data(null_rule);
	return 0;
}

static long syscall_null_rule(void)
{
	return audit_rule_syscall_data(null_rule, 1);
}

static long syscall_null_rule_out_of_range(void)
{
	return audit_rule_syscall_data(null_rule, 5000);
}

static long byname_null_rule(void)
{
	return audit_rule_syscallbyname_data(null_rule, "open");
}

static long byname_null_rule_all(void)
{
	return audit_rule_syscallbyname_data(null_rule, "all");
}

static long byname_null_rule_unknown(void)
{
	return audit_rule_syscallbyname_data(null_rule, "no-such-call");
}

static long byname_null_name(void)
{
	return audit_rule_syscallbyname_data(audit_rule_create_data(), null_text);
}

/* The rule's fields, values and buffer after a call, so that both libraries' rules compare. */
static void show(const char *what, struct audit_rule_data *r)
{
	unsigned i;
	if (!r) {
		fprintf(stderr, "%s: no rule", what);
		return;
	}
	fprintf(stderr, "%s: flags=%u action=%u count=%u buflen=%u", what, r->flags, r->action, r->field_count, r->buflen);
	for (i = 0; i < r->field_count && i < AUDIT_MAX_FIELDS; i++)
		fprintf(stderr, " %u/%u/%u", r->fields[i], r->fieldflags[i], r->values[i]);
	fprintf(stderr, " [%.*s] mask0=%x", (int)r->buflen, r->buf, r->mask[0]);
}

static long fieldpair(struct audit_rule_data **rulep, const char *pair)
{
	long rc;
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	/* (char *): 4.1 on declare the pair without const; it is not written to. */
	rc = audit_rule_fieldpair_data(rulep, (char *)pair, AUDIT_FILTER_EXIT);
	return rc;
}

static long fieldpair_null_rulep(void)
{
	char pair[] = "uid=0";
	return fieldpair(null_rulep, pair);
}

static long fieldpair_null_rule(void)
{
	struct audit_rule_data *none = NULL;
	char pair[] = "uid=0";
	return fieldpair(&none, pair);
}

static long fieldpair_null_pair(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	long rc = fieldpair(&r, null_text);
	show("rule", r);
	return rc;
}

static long fieldpair_null_rule_null_pair(void)
{
	struct audit_rule_data *none = NULL;
	return fieldpair(&none, null_text);
}

static long fieldpair_null_rulep_null_pair(void)
{
	return fieldpair(null_rulep, null_text);
}

static long comparison(struct audit_rule_data **rulep, const char *pair)
{
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	return audit_rule_interfield_comp_data(rulep, (char *)pair, AUDIT_FILTER_EXIT);
}

static long comparison_null_rulep(void)
{
	char pair[] = "uid!=euid";
	return comparison(null_rulep, pair);
}

static long comparison_null_rule(void)
{
	struct audit_rule_data *none = NULL;
	char pair[] = "uid!=euid";
	return comparison(&none, pair);
}

static long comparison_null_pair(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	long rc = comparison(&r, null_text);
	show("rule", r);
	return rc;
}

static long comparison_null_rule_null_pair(void)
{
	struct audit_rule_data *none = NULL;
	return comparison(&none, null_text);
}

static long perms_null_rule(void)
{
	return audit_update_watch_perms(null_rule, AUDIT_PERM_READ);
}

static long watch(int type, struct audit_rule_data **rulep, const char *path)
{
	long rc;
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	rc = type ? audit_add_watch_dir(type, rulep, path) : audit_add_watch(rulep, path);
	if (rulep)
		show("rule", *rulep);
	return rc;
}

static long watch_null_rulep(void)
{
	return watch(0, null_rulep, "/etc/passwd");
}

static long watch_null_path(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	return watch(0, &r, null_text);
}

/* *rulep NULL is allowed: the rule is allocated (realloc of NULL). */
static long watch_null_rule(void)
{
	struct audit_rule_data *none = NULL;
	return watch(0, &none, "/etc/passwd");
}

static long dir_null_rulep(void)
{
	return watch(AUDIT_DIR, null_rulep, "/etc");
}

static long dir_null_path(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	return watch(AUDIT_DIR, &r, null_text);
}

static long dir_null_rule(void)
{
	struct audit_rule_data *none = NULL;
	return watch(AUDIT_DIR, &none, "/etc");
}

static long dir_bad_type_null_path(void)
{
	struct audit_rule_data *r = audit_rule_create_data();
	return watch(AUDIT_PERM, &r, null_text);
}

/* No request reaches the kernel: ours refuses NULL before sending, the original crashes. */
static long add_null_rule(void)
{
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	return audit_add_rule_data(audit_open(), null_rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
}

static long delete_null_rule(void)
{
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	return audit_delete_rule_data(audit_open(), null_rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
}

static long equivalent(const char *mount_point, const char *subtree)
{
	set_aumessage_mode(MSG_STDERR, DBG_YES);
	return audit_make_equivalent(audit_open(), mount_point, subtree);
}

static long equivalent_null_mount(void)
{
	return equivalent(null_text, "/x");
}

static long equivalent_null_subtree(void)
{
	return equivalent("/x", null_text);
}

static long equivalent_null_both(void)
{
	return equivalent(null_text, null_text);
}

/* audit_rule_io_uringbyname_data (3.1 on): the original crashes on a NULL rule or name; ours
 * returns -1 (deviation R5). */
static void uring(void)
{
	int (*byname)(struct audit_rule_data *, const char *) =
		(int (*)(struct audit_rule_data *, const char *))dlsym(RTLD_DEFAULT, "audit_rule_io_uringbyname_data");
	if (h_is_ours() && byname) {
		struct audit_rule_data *r = audit_rule_create_data();
		h_check(byname && byname(null_rule, "openat") == -1 && byname(null_rule, "all") == -1 &&
				byname(r, null_text) == -1,
			"io_uring by name: NULL rule or name is -1");
		audit_rule_free_data(r);
	} else if (!H_HAS_URING)
		h_check(byname == NULL, "3.0.9 has no io_uring rules");
	printf("audit_rule_io_uringbyname_data NULL: -1 where it exists\n");
}

int main(void)
{
	h_init();
	crash_fixed("audit_rule_init_data NULL", init_null, 0, 0);
	same("audit_rule_free_data NULL", free_null);
	if (H_HAS_SYSCALL_DATA) {
		crash_fixed("audit_rule_syscall_data rule NULL", syscall_null_rule, -1, 0);
		same("audit_rule_syscall_data rule NULL, number 5000", syscall_null_rule_out_of_range);
	}
	crash_fixed("audit_rule_syscallbyname_data rule NULL", byname_null_rule, -1, 0);
	crash_fixed("audit_rule_syscallbyname_data rule NULL, all", byname_null_rule_all, -1, 0);
	same("audit_rule_syscallbyname_data rule NULL, unknown name", byname_null_rule_unknown);
	crash_fixed("audit_rule_syscallbyname_data name NULL", byname_null_name, -1, 0);
	crash_fixed("audit_rule_fieldpair_data rulep NULL", fieldpair_null_rulep, -EFAULT, EFAULT);
	crash_fixed("audit_rule_fieldpair_data *rulep NULL", fieldpair_null_rule, -EFAULT, EFAULT);
	same("audit_rule_fieldpair_data pair NULL", fieldpair_null_pair);
	same("audit_rule_fieldpair_data *rulep and pair NULL", fieldpair_null_rule_null_pair);
	crash_fixed("audit_rule_fieldpair_data rulep and pair NULL", fieldpair_null_rulep_null_pair, -32 /* -EAU_FILTERMISSING */, 0);
	crash_fixed("audit_rule_interfield_comp_data rulep NULL", comparison_null_rulep, -EFAULT, EFAULT);
	crash_fixed("audit_rule_interfield_comp_data *rulep NULL", comparison_null_rule, -EFAULT, EFAULT);
	same("audit_rule_interfield_comp_data pair NULL", comparison_null_pair);
	same("audit_rule_interfield_comp_data *rulep and pair NULL", comparison_null_rule_null_pair);
	crash_fixed("audit_update_watch_perms rule NULL", perms_null_rule, -1, 0);
	crash_fixed("audit_add_watch rulep NULL", watch_null_rulep, -1, 0);
	crash_fixed("audit_add_watch path NULL", watch_null_path, -1, 0);
	same("audit_add_watch *rulep NULL", watch_null_rule);
	crash_fixed("audit_add_watch_dir rulep NULL", dir_null_rulep, -1, 0);
	crash_fixed("audit_add_watch_dir path NULL", dir_null_path, -1, 0);
	same("audit_add_watch_dir *rulep NULL", dir_null_rule);
	crash_fixed("audit_add_watch_dir bad type, path NULL", dir_bad_type_null_path, -1, 0);
	crash_fixed("audit_add_rule_data rule NULL", add_null_rule, -EFAULT, EFAULT);
	crash_fixed("audit_delete_rule_data rule NULL", delete_null_rule, -EFAULT, EFAULT);
	crash_fixed("audit_make_equivalent mount_point NULL", equivalent_null_mount, -EFAULT, EFAULT);
	crash_fixed("audit_make_equivalent subtree NULL", equivalent_null_subtree, -EFAULT, EFAULT);
	crash_fixed("audit_make_equivalent both NULL", equivalent_null_both, -EFAULT, EFAULT);
	uring();
	return h_done();
}
