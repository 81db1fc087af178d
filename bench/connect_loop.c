/*
 * connect_loop.c - connect to a listening socket on 127.0.0.1 N times,
 * for bench/netlog.sh: the worst case of the recorder's overhead (every
 * call is a recorded connect, nothing else happens).
 *
 * usage: connect_loop N
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof(a);
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i;
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(l, 4096) != 0 || getsockname(l, (struct sockaddr *)&a, &len))
		return 1;
	for (i = 0; i < n; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0), c;
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
			return 1;
		if ((c = accept(l, NULL, NULL)) >= 0)
			close(c);
		close(s);
	}
	close(l);
	return 0;
}
