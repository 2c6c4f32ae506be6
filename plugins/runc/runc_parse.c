// SPDX-License-Identifier: Apache-2.0
/*
 * runc's state.json and a bundle's config.json, parsed as untrusted input
 * with the streaming reader (json_scan.h): only the members ig needs are
 * kept, the rest is skipped unread, so a state.json of many MiB (runc copies
 * the whole OCI config into it) is tracked at the cost of a 64 KiB window,
 * and reading stops as soon as the container turns out to be stopped (its
 * pid and start time come first).
 *
 * What is kept is bounded: at most RUNC_MAX_LABELS annotations of
 * RUNC_MAX_LABELS_BYTES in all (Kubernetes allows 256 KiB), the rest dropped
 * with the container still tracked (annotations_truncated). A NUL in an
 * annotation (\u0000) cuts its value there; it does not hide the container.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_scan.h"
#include "runc.h"

#define RUNC_MAX_LABELS		4096
#define RUNC_MAX_LABELS_BYTES	(1u << 20)
#define RUNC_MAX_ID		1024

static void free_labels(struct ig_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)l[i].key);
		free((char *)l[i].value);
	}
	free(l);
}

void runc_state__free(struct runc_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free_labels(st->annotations, st->nr_annotations);
	memset(st, 0, sizeof(*st));
}

/* Append a copy of key (klen bytes) = value unless the bounds are reached
 * (then only note that some were dropped). */
static int keep_label(struct runc_state *st, size_t *bytes, const char *key, size_t klen,
		      const char *value)
{
	size_t vlen = strlen(value);
	struct ig_label *tmp;
	char *k, *v;

	if (st->nr_annotations >= RUNC_MAX_LABELS || *bytes + klen + vlen > RUNC_MAX_LABELS_BYTES) {
		st->annotations_truncated = true;
		return 0;
	}
	tmp = realloc(st->annotations, (st->nr_annotations + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	st->annotations = tmp;
	k = strndup(key, klen);
	v = strdup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	tmp[st->nr_annotations].key = k;
	tmp[st->nr_annotations].value = v;
	st->nr_annotations++;
	*bytes += klen + vlen;
	return 0;
}

int runc_parse_rfc3339(const char *s, uint64_t *ns)
{
	struct tm tm = { 0 };
	uint64_t frac = 0;
	int digits = 0;
	long off = 0;
	const char *p;
	time_t t;

	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -EINVAL;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 9)
				frac = frac * 10 + (uint64_t)(*p - '0');
		if (!digits)
			return -EINVAL;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int hh = atoi(p + 1), mm = atoi(p + 4);

		off = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1 || t - off < 0)
		return -EINVAL;
	*ns = (uint64_t)(t - off) * 1000000000ull + frac;
	return 0;
}

static bool key_is(const struct js_str *k, const char *name)
{
	return k->len == strlen(name) && !memcmp(k->s, name, k->len);
}

/* One string value into v, NOT cut at a NUL: 0, 1 when the value is not a
 * string (skipped), or <0. */
static int str_value(struct jscan *s, struct js_str *v)
{
	if (js_peek(s) != '"')
		return js_skip(s) ? s->err : 1;
	return js_string(s, v);
}

/* config.labels: ["key=value", ..., "bundle=/dir"] */
static int scan_labels(struct jscan *s, struct runc_state *st, struct js_str *v, size_t *bytes)
{
	const char *eq;
	int r;

	if (js_peek(s) != '[')
		return js_skip(s);
	if (js_arr_begin(s))
		return s->err;
	while ((r = js_arr_next(s)) > 0) {
		r = str_value(s, v);
		if (r < 0)
			return r;
		if (!r && v->truncated) {
			st->annotations_truncated = true;	/* not kept cut short */
			continue;
		}
		if (r || !(eq = strchr(v->s, '=')) || eq == v->s)
			continue;	/* a NUL before the '=' drops the entry */
		if (eq - v->s == 6 && !strncmp(v->s, "bundle", 6)) {
			free(st->bundle);
			st->bundle = strdup(eq + 1);
			if (!st->bundle)
				return -ENOMEM;
			continue;
		}
		r = keep_label(st, bytes, v->s, (size_t)(eq - v->s), eq + 1);
		if (r)
			return r;
	}
	return r;
}

static int scan_config_member(struct jscan *s, struct runc_state *st, struct js_str *k,
			      struct js_str *v, size_t *bytes)
{
	int r;

	if (js_peek(s) != '{')
		return js_skip(s);
	if (js_obj_begin(s))
		return s->err;
	while ((r = js_obj_next(s, k)) > 0) {
		r = key_is(k, "labels") ? scan_labels(s, st, v, bytes) : js_skip(s);
		if (r)
			return r;
	}
	return r;
}

/* What the top level said, before validation. */
struct state_seen {
	int64_t pid, start;
	bool pid_ok, start_ok, id_bad;
};

static int state_member(struct jscan *s, struct runc_state *st, struct state_seen *seen,
			struct js_str *k, struct js_str *v, size_t *bytes)
{
	bool is_int;
	int r;

	if (key_is(k, "id")) {
		r = str_value(s, v);
		if (r)
			return r < 0 ? r : 0;
		free(st->id);
		st->id = NULL;
		/* An id is a file name to runc: no NUL, not huge. */
		seen->id_bad = strlen(v->s) != v->len || v->truncated || v->len > RUNC_MAX_ID;
		if (!seen->id_bad && v->len && !(st->id = strdup(v->s)))
			return -ENOMEM;
		return 0;
	}
	if (key_is(k, "init_process_pid") || key_is(k, "init_process_start")) {
		bool pid = key_is(k, "init_process_pid");
		int64_t n = 0;

		if (js_peek(s) != '0')
			return js_skip(s);
		if (js_int(s, &n, &is_int))
			return s->err;
		*(pid ? &seen->pid : &seen->start) = n;
		*(pid ? &seen->pid_ok : &seen->start_ok) = is_int;
		return 0;
	}
	if (key_is(k, "created")) {
		r = str_value(s, v);
		if (r)
			return r < 0 ? r : 0;
		if (runc_parse_rfc3339(v->s, &st->created_ns))
			st->created_ns = 0;
		return 0;
	}
	if (key_is(k, "config"))
		return scan_config_member(s, st, k, v, bytes);
	return js_skip(s);
}

static int scan_error(struct jscan *s, int err, char *msg, size_t len)
{
	if (err == -ENOMEM)
		snprintf(msg, len, "out of memory");
	else if (err == -EFBIG)
		snprintf(msg, len, "larger than ig reads");
	else if (err == -EINVAL)
		snprintf(msg, len, "not JSON (line %llu: %s)", (unsigned long long)s->line, s->why);
	else
		snprintf(msg, len, "%s", strerror(-err));
	return err;
}

int runc_state__scan(struct jscan *s, struct runc_state *st, runc_gone_fn gone, char *err,
		     size_t errlen)
{
	struct js_str k = { .max = 256 }, v = { .max = RUNC_MAX_LABELS_BYTES };
	struct state_seen seen = { 0 };
	size_t bytes = 0;
	int r;

	memset(st, 0, sizeof(*st));
	if (js_peek(s) != '{') {
		r = js_skip(s);
		if (!r)
			r = js_end(s);
		if (r)
			scan_error(s, r, err, errlen);
		else
			snprintf(err, errlen, "not a JSON object");
		r = r ? r : -EINVAL;
		goto out_free;
	}
	js_obj_begin(s);
	while ((r = js_obj_next(s, &k)) > 0) {
		bool config = key_is(&k, "config");

		r = state_member(s, st, &seen, &k, &v, &bytes);
		if (r)
			break;
		/* runc writes the pid and its start time before the config:
		 * a stopped container costs no more than that. */
		if (gone && seen.pid_ok && seen.pid > 0 && seen.pid <= INT_MAX &&
		    (seen.start_ok || config) &&
		    gone((int)seen.pid, (uint64_t)seen.start, seen.start_ok && seen.start > 0)) {
			r = -ESRCH;
			snprintf(err, errlen, "init pid %lld is gone: container stopped",
				 (long long)seen.pid);
			goto out_free;
		}
	}
	if (!r)
		r = js_end(s);
	if (r) {
		scan_error(s, r, err, errlen);
		goto out_free;
	}
	r = -EINVAL;
	if (!st->id) {
		snprintf(err, errlen, seen.id_bad ? "\"id\" is not a container id" :
			 "no \"id\" string");
		goto out_free;
	}
	if (!seen.pid_ok || seen.pid <= 0 || seen.pid > INT_MAX) {
		snprintf(err, errlen, "no valid \"init_process_pid\"");
		goto out_free;
	}
	st->pid = (int)seen.pid;
	st->start_time = seen.start_ok && seen.start > 0 ? (uint64_t)seen.start : 0;
	r = 0;
out_free:
	js_str_free(&k);
	js_str_free(&v);
	if (r)
		runc_state__free(st);
	return r;
}

int runc_state__scan_config(struct jscan *s, struct runc_state *st, char *err, size_t errlen)
{
	struct js_str k = { .max = RUNC_MAX_LABELS_BYTES }, v = { .max = RUNC_MAX_LABELS_BYTES };
	struct runc_state got = { 0 };
	size_t bytes = 0;
	int r;

	if (js_peek(s) != '{') {
		snprintf(err, errlen, "config.json is not a JSON object");
		return -EINVAL;
	}
	js_obj_begin(s);
	while ((r = js_obj_next(s, &k)) > 0) {
		if (!key_is(&k, "annotations")) {
			r = js_skip(s);
		} else if (js_peek(s) != '{') {
			snprintf(err, errlen, "config.json \"annotations\" is not an object");
			r = -EINVAL;
			goto out_free;
		} else {
			js_obj_begin(s);
			while ((r = js_obj_next(s, &k)) > 0) {
				/* The OCI spec says string values only. */
				r = str_value(s, &v);
				if (r < 0)
					break;
				if (!r && (v.truncated || k.truncated)) {
					got.annotations_truncated = true;
					continue;
				}
				if (!r && strlen(k.s) == k.len &&
				    (r = keep_label(&got, &bytes, k.s, k.len, v.s)))
					break;
			}
		}
		if (r)
			break;
	}
	if (!r)
		r = js_end(s);
	if (r) {
		if (!s->err && r == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		else
			scan_error(s, r, err, errlen);
		goto out_free;
	}
	free_labels(st->annotations, st->nr_annotations);
	st->annotations = got.annotations;
	st->nr_annotations = got.nr_annotations;
	st->annotations_truncated = got.annotations_truncated;
	st->annotations_from_config = true;
	got.annotations = NULL;
	got.nr_annotations = 0;
out_free:
	free_labels(got.annotations, got.nr_annotations);
	js_str_free(&k);
	js_str_free(&v);
	return r;
}

int runc_state__parse(const char *json, size_t len, struct runc_state *st,
		      char *err, size_t errlen)
{
	struct jscan s;

	js_init_mem(&s, json, len);
	return runc_state__scan(&s, st, NULL, err, errlen);
}

int runc_state__parse_config(const char *json, size_t len, struct runc_state *st,
			     char *err, size_t errlen)
{
	struct jscan s;
	char why[160];
	int r;

	js_init_mem(&s, json, len);
	r = runc_state__scan_config(&s, st, why, sizeof(why));
	if (r)
		snprintf(err, errlen, "%s%s", strncmp(why, "config.json", 11) ? "config.json: " : "",
			 why);
	return r;
}
