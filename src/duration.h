/*
 * duration.h - parse the `time` attribute of every JUnit dialect.
 *
 * Seen in the wild: "0.301", "2,120.532" (Surefire <= 3.1.0, grouping
 * comma), "0,03" (decimal comma), "1E-07" (.NET), "80.803us" (kotest),
 * "1h 2m 3.5s", "" and no attribute at all.  Missing or empty is unknown,
 * never zero.  Independent of the C locale.
 */
#ifndef TG_DURATION_H
#define TG_DURATION_H

#include <stdbool.h>
#include <stddef.h>

typedef enum tg_dur_status {
	TG_DUR_OK,
	TG_DUR_EMPTY,    /* missing or blank: unknown */
	TG_DUR_INVALID,  /* not a duration, negative, NaN or infinite */
} tg_dur_status;

typedef struct tg_dur {
	tg_dur_status status;
	double seconds;
	/* "1,078": 1078 s with a grouping comma, or 1.078 s with a decimal
	 * comma.  Resolved by prefer_grouping; the caller warns. */
	bool ambiguous;
} tg_dur;

/*
 * Parse s[0..n).  prefer_grouping decides "d,ddd" (one comma followed by
 * exactly three digits, non-zero leading group): true for producers known
 * to write grouping commas (Surefire, TestNG).
 */
tg_dur tg_duration_parse(const char *s, size_t n, bool prefer_grouping);

#endif
