/* Shared by the c-tests/null_<area>.c programs: each case runs in a forked child (the original
 * crashes on some) with its own state; the child's return value, errno and stderr come back
 * through pipes. `same` prints the outcome, which must then match between the libraries;
 * `crash_fixed` is for the original's crashes: ours must return the value pinned in
 * docs/deviations.md, and both print the same line. */
#ifndef NULL_CASES_H
#define NULL_CASES_H
#define _GNU_SOURCE
#include "harness.h"
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct outcome {
	int crashed;
	long rc;
	int err;
	char text[512]; /* what the case wrote to stderr */
};

static void run(long (*fn)(void), struct outcome *o)
{
	int result[2], errors[2], status;
	ssize_t n;
	size_t used = 0;
	pid_t pid;

	memset(o, 0, sizeof *o);
	fflush(stdout);
	if (pipe(result) || pipe(errors))
		_exit(2);
	pid = fork();
	if (pid == 0) {
		long r[2];
		dup2(errors[1], 2);
		errno = 0;
		r[0] = fn();
		r[1] = errno;
		fflush(stderr);
		if (write(result[1], r, sizeof r) != sizeof r)
			_exit(3);
		_exit(0);
	}
	close(result[1]);
	close(errors[1]);
	while ((n = read(errors[0], o->text + used, sizeof o->text - 1 - used)) > 0)
		used += (size_t)n;
	o->text[used] = 0;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		o->crashed = 1;
	} else {
		long r[2] = { 0, 0 };
		h_check(read(result[0], r, sizeof r) == sizeof r, "child result");
		o->rc = r[0];
		o->err = (int)r[1];
	}
	close(result[0]);
	close(errors[0]);
}

static const char *ename(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static const char *escaped(const char *text)
{
	static char out[1100];
	size_t o = 0;
	for (; *text && o < sizeof out - 3; text++) {
		if (*text == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else
			out[o++] = *text;
	}
	out[o] = 0;
	return out;
}

/* The same outcome from both libraries. */
__attribute__((unused)) static void same(const char *name, long (*fn)(void))
{
	struct outcome o;
	run(fn, &o);
	if (o.crashed)
		printf("%s: crashes\n", name);
	else
		printf("%s: rc=%ld errno=%s stderr=\"%s\"\n", name, o.rc, ename(o.err), escaped(o.text));
}

/* The original crashes; ours returns rc with errno (a deviation of docs/deviations.md). */
__attribute__((unused)) static void crash_fixed(const char *name, long (*fn)(void), long rc, int err)
{
	struct outcome o;
	run(fn, &o);
	if (h_is_ours() ? o.crashed || o.rc != rc || o.err != err : !o.crashed)
		printf("CHECK FAILED: %s: crashed=%d rc=%ld errno=%s stderr=\"%s\"\n", name, o.crashed, o.rc, ename(o.err), o.text);
	printf("%s: the original crashes; ours rc=%ld errno=%s\n", name, rc, ename(err));
}
#endif
