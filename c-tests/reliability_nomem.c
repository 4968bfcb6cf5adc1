/* Allocation failure (issue 12, item 2). Inputs of 128-256 MB under an RLIMIT_AS that leaves the
 * process 64 MB beyond what it holds: the original returns its error value where it allocates
 * (NULL, -1, an EAU code) and bounds what it copies elsewhere; ours must do the same and never
 * abort. Each case runs in a forked child (h_in_child), so that an abort is seen as such.
 *
 * The logging case sends to a NETLINK_ROUTE socket (rtnetlink answers the request, nothing
 * reaches the kernel's audit log). */
#define _GNU_SOURCE
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MB (1024UL * 1024)

/* A string of `len` bytes `c` (then a NUL) in memory of its own, writable. */
static char *big(size_t len, char c)
{
	char *p = mmap(NULL, len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	h_check(p != MAP_FAILED, "mmap");
	memset(p, c, len);
	p[len] = 0;
	return p;
}

/* From here on the process may map at most 64 MB more. */
static void limit_memory(void)
{
	long pages = 0;
	struct rlimit r;
	FILE *f = fopen("/proc/self/statm", "r");
	h_check(f && fscanf(f, "%ld", &pages) == 1, "statm");
	fclose(f);
	r.rlim_cur = r.rlim_max = pages * sysconf(_SC_PAGESIZE) + 64 * MB;
	h_check(setrlimit(RLIMIT_AS, &r) == 0, "setrlimit");
}

static void encode_value(void)
{
	size_t n = 128 * MB;
	char *in = big(n, 'A'), *out = big(2 * n, 'x'), *rc;
	limit_memory();
	rc = audit_encode_value(out, in, n);
	printf("  returned final: %d, starts %.6s, NUL at 2n: %d\n", rc == out, out, out[2 * n] == 0);
}

static void encode_nv_string(void)
{
	char *spaces = big(200 * MB, ' '), *plain = big(200 * MB, 'a'), *rc;
	limit_memory();
	rc = audit_encode_nv_string("name", spaces, 0);
	h_rc("  200 MB needing encoding: NULL", rc == NULL);
	free(rc);
	rc = audit_encode_nv_string("name", spaces, 70 * MB);
	h_rc("  vlen 70 MB needing encoding: NULL", rc == NULL);
	free(rc);
	rc = audit_encode_nv_string("name", plain, 0);
	h_rc("  200 MB plain: NULL", rc == NULL);
	free(rc);
}

static void comm_message(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	char *comm = big(200 * MB, 'a');
	/* What a comm too long for the record becomes, without a memory limit: */
	comm[20000] = 0;
	H_CALL("  comm of 20,000 bytes", audit_log_user_comm_message(fd, AUDIT_USER, "op=test", comm, "host",
								       "10.0.0.1", "pts/1", 1));
	comm[20000] = 'a';
	limit_memory();
	H_CALL("  comm of 200 MB", audit_log_user_comm_message(fd, AUDIT_USER, "op=test", comm, "host", "10.0.0.1",
								 "pts/1", 1));
	close(fd);
}

static void fieldpair(void)
{
	static const char *fields[] = { "key=", "path=", "dir=", "filterkey=", "obj_user=", "subj_role=", "exe=" };
	unsigned i;
	size_t n = 128 * MB;
	char *pair = big(n, 'v');
	limit_memory();
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct audit_rule_data *rule = audit_rule_create_data();
		char what[64];
		size_t k = strlen(fields[i]);
		memset(pair, 'v', n);
		memcpy(pair, fields[i], k);
		snprintf(what, sizeof what, "  %s<128 MB>", fields[i]);
		h_rc(what, audit_rule_fieldpair_data(&rule, pair, AUDIT_FILTER_EXIT));
		audit_rule_free_data(rule);
	}
}

static void errmsg(void)
{
	struct stat st;
	char path[] = "/tmp/libaudit-rs-nomem-XXXXXX";
	int fd = mkstemp(path);
	char *opt = big(200 * MB, 'o');
	unlink(path);
	dup2(fd, 2);
	limit_memory();
	audit_number_to_errmsg(-2, opt); /* EAU_FIELDUNKNOWN (errormsg.h, not installed): "-F unknown field: opt" */
	audit_number_to_errmsg(-3, opt); /* EAU_ARCHMISPLACED: "opt must be before -S" */
	fstat(fd, &st);
	printf("  bytes written to stderr: %lld\n", (long long)st.st_size);
}

int main(void)
{
	h_init();
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	h_in_child("audit_encode_value, 128 MB", encode_value, 60);
	h_in_child("audit_encode_nv_string", encode_nv_string, 60);
	h_in_child("audit_log_user_comm_message", comm_message, 60);
	h_in_child("audit_rule_fieldpair_data", fieldpair, 60);
	h_in_child("audit_number_to_errmsg, opt of 200 MB", errmsg, 60);
	return h_done();
}
