/* The control of scripts/tsan: a race with the library on purpose. One thread stores to
 * _audit_elf with plain C stores (auditctl's way; no lock), another builds rules, which makes the
 * library read it. ThreadSanitizer must report it: the report names _audit_elf as
 * the location (main only builds rules, so the racing load is the library's): proof that the
 * detector sees inside the instrumented library. Exits 0; the script counts the
 * reports. */
#include <pthread.h>
#include <stdlib.h>
#include <libaudit.h>

extern unsigned int _audit_elf;

static void *store(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		_audit_elf = i % 2 ? AUDIT_ARCH_X86_64 : 0;
	return NULL;
}

int main(void)
{
	pthread_t th;
	pthread_create(&th, NULL, store, NULL);
	for (int i = 0; i < 1000; i++) {
		struct audit_rule_data *rule = audit_rule_create_data();
		audit_rule_syscallbyname_data(rule, "openat");
		audit_rule_free_data(rule);
	}
	pthread_join(th, NULL);
	return 0;
}
