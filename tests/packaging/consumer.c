/* An ordinary libaudit consumer, built against an installed (or staged) libaudit: it makes a
 * few calls and reports which file the dynamic loader bound audit_open to. With a directory as
 * argument it fails unless the library came from inside that directory. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libaudit.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	Dl_info info;
	char *loaded, *want;
	int fd = audit_open();

	if (fd >= 0) {
		printf("audit_is_enabled: %d\n", audit_is_enabled(fd));
		audit_close(fd);
	} else {
		printf("audit_open failed (no audit netlink here?)\n");
	}
	if (!dladdr((void *)audit_open, &info) || !info.dli_fname) {
		fprintf(stderr, "dladdr could not place audit_open\n");
		return 1;
	}
	loaded = realpath(info.dli_fname, NULL);
	printf("libaudit from %s\n", loaded ? loaded : info.dli_fname);
	if (argc > 1) {
		want = realpath(argv[1], NULL);
		if (!loaded || !want || strncmp(loaded, want, strlen(want)) != 0 || loaded[strlen(want)] != '/') {
			fprintf(stderr, "expected a libaudit from %s\n", argv[1]);
			return 1;
		}
	}
	return 0;
}
