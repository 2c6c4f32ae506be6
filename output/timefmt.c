// SPDX-License-Identifier: Apache-2.0
/*
 * Kernel boot-time timestamps -> RFC 3339 wall clock with nanoseconds, UTC.
 * Hand-rolled (days -> civil date) rather than gmtime_r(): it is on the JSON
 * hot path, and records arrive in bursts within the same second, so the
 * date/time part is cached and only the nanoseconds change.
 */
#include <errno.h>

#include "output_int.h"

/* Days since 1970-01-01 -> proleptic Gregorian y/m/d (era arithmetic: 400
 * years = 146097 days, so no table and no loop). */
static void civil_from_days(int64_t z, int64_t *y, unsigned int *m, unsigned int *d)
{
	int64_t era, yr;
	unsigned int doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yr = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yr + (*m <= 2);
}

static void put2(char *p, unsigned int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DDTHH:MM:SS" (19 chars) for seconds since the epoch. Years outside
 * 0..9999 are clamped: RFC 3339 has four year digits. */
static void format_sec(char *p, int64_t sec)
{
	int64_t days = sec / 86400, rem = sec % 86400, y;
	unsigned int m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	put2(p, (unsigned int)(y / 100));
	put2(p + 2, (unsigned int)(y % 100));
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	p[10] = 'T';
	put2(p + 11, (unsigned int)(rem / 3600));
	p[13] = ':';
	put2(p + 14, (unsigned int)(rem / 60 % 60));
	p[16] = ':';
	put2(p + 17, (unsigned int)(rem % 60));
}

void ts_format_cached(char *p, int64_t wall_ns, int64_t *cache_sec, char *cache)
{
	int64_t sec = wall_ns / 1000000000, ns = wall_ns % 1000000000;
	unsigned int i;

	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	if (sec != *cache_sec || !cache[0]) {
		format_sec(cache, sec);
		*cache_sec = sec;
	}
	memcpy(p, cache, 19);
	p[19] = '.';
	for (i = 0; i < 9; i++) {
		p[28 - i] = (char)('0' + ns % 10);
		ns /= 10;
	}
	p[29] = 'Z';
}

int ig_format_timestamp(char *buf, size_t len, uint64_t boot_ns, int64_t boot_to_wall_ns)
{
	int64_t sec = 0;
	char cache[20] = "";

	if (!buf || len < TS_LEN + 1)
		return -EINVAL;
	ts_format_cached(buf, (int64_t)(boot_ns + (uint64_t)boot_to_wall_ns), &sec, cache);
	buf[TS_LEN] = '\0';
	return 0;
}
