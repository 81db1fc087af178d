/*
 * race.c - the network recorder under ThreadSanitizer: threads that make
 * their first connect() at once, and non-blocking connects whose pending
 * marks share a byte, must not race in the shim.  Built with the shim's
 * source linked in (its connect() wins over libc's in this executable)
 * and -fsanitize=thread; a race report fails the test.  It also checks
 * that every connect and every outcome of one in progress was recorded.
 *
 * usage: race RECORD-FILE (also $TRUEGREEN_NETLOG, read at load)
 */
#define _GNU_SOURCE /* SOCK_NONBLOCK, pthread barriers */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 40

static struct sockaddr_in server;
static pthread_barrier_t start;
static int inprogress[THREADS];

static void *client(void *arg)
{
	int id = (int)(long)arg, i;

	pthread_barrier_wait(&start);
	for (i = 0; i < ROUNDS; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), e = 0;
		socklen_t n = sizeof(e);
		struct pollfd p;

		if (s < 0)
			exit(2);
		if (connect(s, (struct sockaddr *)&server, sizeof(server)) != 0) {
			if (errno != EINPROGRESS)
				exit(3);
			inprogress[id]++;
			p.fd = s;
			p.events = POLLOUT;
			if (poll(&p, 1, 5000) != 1 ||
			    getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &n) != 0)
				exit(4);
		}
		close(s);
	}
	return NULL;
}

static void *acceptor(void *arg)
{
	int l = (int)(long)arg, c;

	while ((c = accept(l, NULL, NULL)) >= 0)
		close(c);
	return NULL;
}

/* Lines of the record holding needle. */
static long count(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	long n = 0;

	if (!f)
		exit(5);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS], a;
	socklen_t len = sizeof(server);
	long want_done = 0, i;
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (argc != 2 || l < 0)
		return 2;
	/* the shim opened the record at load (O_APPEND): start it empty */
	close(open(argv[1], O_WRONLY | O_TRUNC | O_CLOEXEC));
	server.sin_family = AF_INET;
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&server, sizeof(server)) != 0 ||
	    listen(l, 1024) != 0 ||
	    getsockname(l, (struct sockaddr *)&server, &len) != 0)
		return 2;
	pthread_create(&a, NULL, acceptor, (void *)(long)l);
	pthread_barrier_init(&start, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, client, (void *)i);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		want_done += inprogress[i];
	}
	shutdown(l, SHUT_RDWR);
	pthread_join(a, NULL);
	close(l);
	if (count(argv[1], "\"op\":\"connect\"") != THREADS * ROUNDS ||
	    count(argv[1], "\"op\":\"connect-done\"") != want_done) {
		fprintf(stderr, "race: %ld connects (want %d), %ld outcomes "
				"(want %ld)\n",
			count(argv[1], "\"op\":\"connect\""), THREADS * ROUNDS,
			count(argv[1], "\"op\":\"connect-done\""), want_done);
		return 1;
	}
	return 0;
}
