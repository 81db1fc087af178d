/*
 * shim.c - libtruegreen_netlog.so: record every outbound connection
 * attempt of a process, and the test running when it happened.
 *
 * Loaded with LD_PRELOAD by `truegreen record`, it wraps connect(),
 * sendto() and sendmsg() to a destination, and getaddrinfo(), calls the
 * real function, and appends one JSON line per event to the file named
 * by $TRUEGREEN_NETLOG:
 *   {"truegreen_netlog":1,"wall":..,"mono":..,"pid":..,"tid":..,
 *    "test":"tests/x.py::test_y","phase":"call","op":"connect",
 *    "family":"inet","addr":"127.0.0.1","port":8080,"loopback":true,
 *    "result":"ok"}
 *
 * Invisible to the program: errno is preserved, nothing is allocated
 * (each line is formatted on the stack and written with a single
 * write() on an O_APPEND descriptor, so threads, forked children and
 * xdist workers never interleave partial lines), no lock is taken (what
 * threads share is atomic; tests/netlog/race.c runs it under
 * ThreadSanitizer), and a thread-local guard keeps the shim from
 * recording itself.  The file is
 * opened close-on-exec: a program exec'd later loads the shim again and
 * opens it for itself.
 *
 * Not part of libtruegreen and linked against libc only (and libdl).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TG_NETLOG_LINE 4096

static int log_fd = -1;
static __thread bool inside;
/* Sockets whose connect() is in progress (non-blocking: asyncio, httpx
 * with timeouts): their outcome comes later through getsockopt(SO_ERROR)
 * and is recorded then.  A bit per descriptor below 65536, set and
 * cleared atomically: threads marking descriptors that share a byte must
 * not undo each other's bits (a lost bit was a lost outcome). */
static _Atomic unsigned char pending[65536 / 8];

static void mark(int fd, bool on)
{
	unsigned char bit;

	if (fd < 0 || fd >= 65536)
		return;
	bit = (unsigned char)(1u << (fd & 7));
	if (on)
		atomic_fetch_or_explicit(&pending[fd >> 3], bit,
					 memory_order_relaxed);
	else
		atomic_fetch_and_explicit(&pending[fd >> 3],
					  (unsigned char)~bit,
					  memory_order_relaxed);
}

static bool marked(int fd)
{
	return fd >= 0 && fd < 65536 &&
	       (atomic_load_explicit(&pending[fd >> 3], memory_order_relaxed) >>
		(fd & 7)) & 1u;
}

/*
 * The next definition of a wrapped function, looked up on first use.
 * Threads may make that first call at once: they store the same
 * pointer, and the atomic slot makes that race a defined one.
 */
static void *next_fn(_Atomic(void *) *slot, const char *name)
{
	void *f = atomic_load_explicit(slot, memory_order_relaxed);

	if (!f) {
		f = dlsym(RTLD_NEXT, name);
		atomic_store_explicit(slot, f, memory_order_relaxed);
	}
	return f;
}

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int,
			     const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);
typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
		      struct addrinfo **);
typedef int (*getsockopt_fn)(int, int, int, void *, socklen_t *);

__attribute__((constructor)) static void netlog_init(void)
{
	const char *path = getenv("TRUEGREEN_NETLOG");

	if (path && path[0])
		log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			      0644);
}

/* ---- a line, on the stack -------------------------------------------- */

typedef struct line {
	char buf[TG_NETLOG_LINE];
	size_t len;
	bool full;
} line;

static void add(line *l, const char *s, size_t n)
{
	if (l->full || l->len + n + 2 >= sizeof(l->buf)) {
		l->full = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void adds(line *l, const char *s)
{
	add(l, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void json_str(line *l, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	add(l, "\"", 1);
	for (i = 0; s && s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			add(l, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4],
				     hex[c & 15]};
			add(l, e, 6);
		} else {
			add(l, (const char *)&c, 1);
		}
	}
	add(l, "\"", 1);
}

static void num(line *l, const char *key, long long v)
{
	char b[64];
	int n = snprintf(b, sizeof(b), ",\"%s\":%lld", key, v);

	if (n > 0)
		add(l, b, (size_t)n);
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0:
		return "ok";
	case EINPROGRESS:
		return "EINPROGRESS";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case ENETUNREACH:
		return "ENETUNREACH";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case EADDRNOTAVAIL:
		return "EADDRNOTAVAIL";
	case EAGAIN:
		return "EAGAIN";
	case ENOENT:
		return "ENOENT";
	case EISCONN:
		return "EISCONN";
	case EALREADY:
		return "EALREADY";
	default:
		return "error";
	}
}

/* The common head: times, process, and the test that runs now. */
static void head(line *l, const char *op)
{
	struct timespec wall, mono;
	const char *test = getenv("PYTEST_CURRENT_TEST");
	const char *phase = NULL;
	size_t n = 0;

	if (!test || !test[0])
		test = getenv("TRUEGREEN_TEST_ID");
	else if ((phase = strrchr(test, ' ')) != NULL) {
		/* "tests/x.py::test_y (call)" */
		n = (size_t)(phase - test);
		phase++;
	}
	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	adds(l, "{\"truegreen_netlog\":1");
	num(l, "wall_ms", (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000);
	num(l, "mono_us", (long long)mono.tv_sec * 1000000 + mono.tv_nsec / 1000);
	num(l, "pid", (long long)getpid());
	num(l, "tid", (long long)syscall(SYS_gettid));
	if (test && test[0]) {
		adds(l, ",\"test\":");
		json_str(l, test, n ? n : 2048);
	}
	if (phase) {
		size_t pl = strlen(phase);
		adds(l, ",\"phase\":");
		/* "(call)" -> "call" */
		json_str(l, phase[0] == '(' ? phase + 1 : phase,
			 pl > 2 && phase[0] == '(' ? pl - 2 : pl);
	}
	adds(l, ",\"op\":");
	json_str(l, op, 32);
}

static void destination(line *l, const struct sockaddr *sa, socklen_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!sa || len < sizeof(sa_family_t)) {
		adds(l, ",\"family\":\"none\"");
		return;
	}
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		adds(l, ",\"family\":\"inet\",\"addr\":");
		json_str(l, ip, sizeof(ip));
		num(l, "port", ntohs(in->sin_port));
		adds(l, (ntohl(in->sin_addr.s_addr) >> 24) == 127
				? ",\"loopback\":true"
				: ",\"loopback\":false");
	} else if (sa->sa_family == AF_INET6 &&
		   len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		adds(l, ",\"family\":\"inet6\",\"addr\":");
		json_str(l, ip, sizeof(ip));
		num(l, "port", ntohs(in6->sin6_port));
		adds(l, IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
				(IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
				 in6->sin6_addr.s6_addr[12] == 127)
			? ",\"loopback\":true"
			: ",\"loopback\":false");
	} else if (sa->sa_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)sa;
		size_t max = len > offsetof(struct sockaddr_un, sun_path)
				     ? len - offsetof(struct sockaddr_un, sun_path)
				     : 0;
		adds(l, ",\"family\":\"unix\",\"path\":");
		/* an abstract socket starts with NUL: shown as "@..." */
		if (max && un->sun_path[0] == '\0') {
			adds(l, "\"@\"");
		} else {
			json_str(l, un->sun_path,
				 max < sizeof(un->sun_path) ? max
							    : sizeof(un->sun_path));
		}
		adds(l, ",\"loopback\":true");
	} else {
		num(l, "family_number", sa->sa_family);
	}
}

/* Close the line and write it whole; an over-long one (a huge test id)
 * becomes a short record saying so. */
static void finish(line *l, int err)
{
	static const char overflow[] =
		"{\"truegreen_netlog\":1,\"op\":\"overflow\"}\n";

	adds(l, ",\"result\":");
	json_str(l, errno_name(err), 32);
	if (err && strcmp(errno_name(err), "error") == 0)
		num(l, "errno", err);
	if (!l->full) {
		/* add() kept two bytes free for this */
		memcpy(l->buf + l->len, "}\n", 2);
		l->len += 2;
	}
	if (write(log_fd, l->full ? overflow : l->buf,
		  l->full ? sizeof(overflow) - 1 : l->len) < 0) {
		/* nothing to do: the program must not notice */
	}
}

static void record(int fd, const char *op, const struct sockaddr *sa,
		   socklen_t len, int err)
{
	line l;

	if (log_fd < 0 || inside)
		return;
	inside = true;
	l.len = 0;
	l.full = false;
	head(&l, op);
	num(&l, "fd", fd); /* pairs a connect-done with its connect */
	destination(&l, sa, len);
	finish(&l, err);
	inside = false;
}

/* Whether a socket is a stream one (connect) or not (sendto). */
static bool is_datagram(int fd)
{
	int type = 0;
	socklen_t n = sizeof(type);

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &n) == 0 &&
	       type == SOCK_DGRAM;
}

/* ---- the wrapped calls ------------------------------------------------ */

int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	static _Atomic(void *) slot;
	connect_fn real = (connect_fn)next_fn(&slot, "connect");
	int rc, saved;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(fd, sa, len);
	saved = errno;
	if (!inside && log_fd >= 0) {
		/* a UDP "connect" sends nothing: still where it will go */
		record(fd, is_datagram(fd) ? "connect-udp" : "connect", sa,
		       len, rc == 0 ? 0 : saved);
		mark(fd, rc != 0 && saved == EINPROGRESS);
	}
	errno = saved;
	return rc;
}

/* The outcome of a connect() that was in progress. */
int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	static _Atomic(void *) slot;
	getsockopt_fn real = (getsockopt_fn)next_fn(&slot, "getsockopt");
	int rc, saved;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(fd, level, name, val, len);
	saved = errno;
	if (rc == 0 && level == SOL_SOCKET && name == SO_ERROR && val &&
	    len && *len >= sizeof(int) && marked(fd) && !inside &&
	    log_fd >= 0) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		int e = *(int *)val;
		mark(fd, false);
		inside = true; /* getpeername is not wrapped; no recursion */
		if (getpeername(fd, (struct sockaddr *)&peer, &plen) != 0)
			plen = 0;
		inside = false;
		record(fd, "connect-done",
		       plen ? (struct sockaddr *)&peer : NULL, plen, e);
	}
	errno = saved;
	return rc;
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags,
	       const struct sockaddr *sa, socklen_t len)
{
	static _Atomic(void *) slot;
	sendto_fn real = (sendto_fn)next_fn(&slot, "sendto");
	ssize_t rc;
	int saved;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(fd, buf, n, flags, sa, len);
	saved = errno;
	if (sa && !inside && log_fd >= 0)
		record(fd, "sendto", sa, len, rc >= 0 ? 0 : saved);
	errno = saved;
	return rc;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static _Atomic(void *) slot;
	sendmsg_fn real = (sendmsg_fn)next_fn(&slot, "sendmsg");
	ssize_t rc;
	int saved;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(fd, msg, flags);
	saved = errno;
	if (msg && msg->msg_name && !inside && log_fd >= 0)
		record(fd, "sendmsg", msg->msg_name, msg->msg_namelen,
		       rc >= 0 ? 0 : saved);
	errno = saved;
	return rc;
}

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	static _Atomic(void *) slot;
	gai_fn real = (gai_fn)next_fn(&slot, "getaddrinfo");
	int rc, saved;
	line l;

	if (!real)
		return EAI_SYSTEM;
	rc = real(node, service, hints, res);
	saved = errno;
	if (node && !inside && log_fd >= 0) {
		inside = true;
		l.len = 0;
		l.full = false;
		head(&l, "resolve");
		adds(&l, ",\"host\":");
		json_str(&l, node, 1024);
		if (service) {
			adds(&l, ",\"service\":");
			json_str(&l, service, 64);
		}
		adds(&l, ",\"result\":");
		json_str(&l, rc == 0 ? "ok" : gai_strerror(rc), 128);
		if (!l.full) {
			memcpy(l.buf + l.len, "}\n", 2);
			l.len += 2;
			if (write(log_fd, l.buf, l.len) < 0) {
				/* the program must not notice */
			}
		}
		inside = false;
	}
	errno = saved;
	return rc;
}
