/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record and document formatters. Internal to ig (not installed): only the
 * CLI part of core/ calls this, and this sees only <ig/record.h> and jansson.
 *
 * Formats: table (default), json (one object per line, every field including
 * hidden ones, dotted names nested), jsonpretty, yaml (one document per
 * record or report, "---" separated).
 */
#ifndef IG_OUTPUT_H
#define IG_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <ig/record.h>

enum ig_output_format {
	IG_OUT_TABLE = 0,
	IG_OUT_JSON,
	IG_OUT_JSONPRETTY,
	IG_OUT_YAML,
};

/* "table", "json", "jsonpretty", "yaml" -> format. -EINVAL for anything
 * else, with "unknown output format 'x' (valid: table, json, jsonpretty,
 * yaml)" written to err (errlen bytes). */
int ig_output_format__parse(const char *s, enum ig_output_format *fmt, char *err, size_t errlen);

struct ig_output_opts {
	size_t sz;			/* sizeof(struct ig_output_opts) */
	enum ig_output_format format;
	FILE *out;			/* where to write (not closed) */
	bool tty;			/* out is a terminal: fit the table to term_width */
	int term_width;			/* columns when tty, else ignored */
	const char *fields;		/* --fields: "a,b" picks; "+x,-y" edits the
					 * default (visible) set; NULL = default */
	int64_t boot_to_wall_ns;	/* add to a boot-time ns timestamp to get
					 * wall-clock (CLOCK_REALTIME) ns */
	/* Optional, instead of out: where formatted bytes go. Returns 0 or
	 * -errno (-EPIPE: the reader went away); an error is sticky like a
	 * failed fwrite(). The CLI's non-blocking writer. */
	int (*write)(void *arg, const void *p, size_t n);
	void *write_arg;
};

struct ig_output;

/*
 * fields: nr_fields entries (the host's sizeof(struct ig_field); the core
 * normalises gadget tables before calling). Borrowed: must outlive the
 * output. Returns NULL with errno set; for a bad --fields value errno is
 * EINVAL and err holds "unknown field 'x' (valid: a, b, c)".
 */
struct ig_output *ig_output__new(const struct ig_field *fields, size_t nr_fields,
				 const struct ig_output_opts *opts, char *err, size_t errlen);

/* One record: vals has nr_fields values. Returns 0, or -EPIPE when the
 * reader went away (the caller stops quietly), or -errno. */
int ig_output__record(struct ig_output *o, const struct ig_value *vals);

/* One report document (json_t *, borrowed). In table format the caller
 * prints a summary record instead when it has one; given a document in table
 * format this prints it as YAML. */
int ig_output__document(struct ig_output *o, const void *doc);

/*
 * In-band notice that the stream is incomplete: events lost in the kernel's
 * buffers and records dropped because the reader was too slow, since the
 * previous notice. table: a line "LOST: ..."; json, jsonpretty: an object
 * {"lost": {"events": N, "records": M}}; yaml: a document of the same.
 */
int ig_output__lost(struct ig_output *o, uint64_t events, uint64_t records);

int ig_output__flush(struct ig_output *o);
void ig_output__destroy(struct ig_output *o);

/* Boot-time timestamp -> "2026-11-29T03:24:42.123456789Z" (needs >= 36 bytes). */
int ig_format_timestamp(char *buf, size_t len, uint64_t boot_ns, int64_t boot_to_wall_ns);

/*
 * Buffering and errors (output/output.c): records are formatted into a
 * 64 KiB buffer of the formatter's own and written to opts.out when half
 * full, after every record when opts.tty, after every document, on
 * ig_output__flush() and on destroy. Call ig_output__flush() after each batch
 * of records, before blocking, so a slow stream is not held back. A failed
 * write is sticky: every later call returns the same -errno (-EPIPE when the
 * reader went away).
 */

#endif /* IG_OUTPUT_H */
