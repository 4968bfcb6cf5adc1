/* 16 threads sending AUDIT_USER messages with audit_send, on one shared socket and then on one
 * socket each: every call must return a positive sequence number, all distinct. Run by
 * tests/memcheck.rs under valgrind's memcheck and with AddressSanitizer.
 * Only for our library: the original's sequence counter is unlocked and its ACKs are not
 * matched, so it fails this by design. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libaudit.h>

extern int audit_send(int fd, int type, const void *data, unsigned int size);

#define THREADS 16
#define MESSAGES 25

static int shared_fd = -1;
static int seqs[THREADS * MESSAGES];

static void *worker(void *arg)
{
	int t = (int)(long)arg, i;
	int fd = shared_fd >= 0 ? shared_fd : audit_open();
	char text[64];
	for (i = 0; i < MESSAGES; i++) {
		int n = snprintf(text, sizeof text, "libaudit-rs threads %d:%d", t, i);
		seqs[t * MESSAGES + i] = audit_send(fd, AUDIT_USER, text, (unsigned)n + 1);
	}
	if (fd != shared_fd)
		audit_close(fd);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int round_of(int shared)
{
	pthread_t th[THREADS];
	int t, i, bad = 0;
	shared_fd = shared ? audit_open() : -1;
	for (t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, worker, (void *)(long)t);
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	qsort(seqs, THREADS * MESSAGES, sizeof *seqs, cmp);
	for (i = 0; i < THREADS * MESSAGES; i++)
		bad += seqs[i] <= 0 || (i && seqs[i] == seqs[i - 1]);
	if (shared)
		audit_close(shared_fd);
	printf("%s: %d calls, %d wrong\n", shared ? "shared fd" : "separate fds", THREADS * MESSAGES, bad);
	return bad;
}

int main(void)
{
	int bad = round_of(1) + round_of(0);
	return bad ? 1 : 0;
}
