// SPDX-License-Identifier: Apache-2.0
#include <criterion/criterion.h>
#include <stdlib.h>

#include "out_helpers.h"

static const struct ig_enum_name sys_names[] = {
	{ 0, "read" }, { 1, "write" }, { 59, "execve" }, { 0, NULL },
};

static const struct ig_enum_name mode_names[] = {
	{ 1, "READ" }, { 2, "WRITE" }, { 4, "EXEC" }, { 0, NULL },
};

const struct ig_field t_fields[NR_T_FIELDS] = {
	[F_TS] = { "timestamp", "when", IG_FT_TIMESTAMP, IG_FK_TIMESTAMP, 30, IG_ALIGN_LEFT,
		   IG_FIELD_HIDDEN, NULL },
	[F_PID] = { "pid", "process id", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT, 0, NULL },
	[F_COMM] = { "comm", "command", IG_FT_STRING, IG_FK_COMM, 16, IG_ALIGN_LEFT, 0, NULL },
	[F_SYSCALL] = { "syscall", "syscall", IG_FT_ENUM, IG_FK_SYSCALL, 12, IG_ALIGN_LEFT, 0,
			sys_names },
	[F_RET] = { "ret", "return value", IG_FT_INT, IG_FK_ERRNO, 5, IG_ALIGN_RIGHT, 0, NULL },
	[F_MODE] = { "mode", "access", IG_FT_BITMASK, IG_FK_NONE, 10, IG_ALIGN_LEFT, 0,
		     mode_names },
	[F_ALLOWED] = { "allowed", "verdict", IG_FT_BOOL, IG_FK_NONE, 7, IG_ALIGN_LEFT, 0, NULL },
	[F_CONTAINER] = { "runtime.containerName", "container", IG_FT_STRING, IG_FK_CONTAINER,
			  0, IG_ALIGN_LEFT, 0, NULL },
	[F_NS] = { "k8s.namespace", "namespace", IG_FT_STRING, IG_FK_K8S, 0, IG_ALIGN_LEFT,
		   IG_FIELD_HIDDEN, NULL },
	[F_POD] = { "k8s.podName", "pod", IG_FT_STRING, IG_FK_K8S, 0, IG_ALIGN_LEFT,
		    IG_FIELD_HIDDEN, NULL },
};

#define U(x) { .v.u = (x), .flags = IG_VALUE_SET }
#define I(x) { .v.i = (x), .flags = IG_VALUE_SET }
#define S(x) { .v.s = (x), .flags = IG_VALUE_SET }

const struct ig_value t_rec1[NR_T_FIELDS] = {
	U(T_TS1), U(1234), S("cat"), U(59), I(-2), U(5), U(1), S("web"), S("default"),
	S("web-0"),
};

const struct ig_value t_rec2[NR_T_FIELDS] = {
	U(T_TS1 + 1000000000ULL), U(1), S("a-very-long-command-name"), U(999), I(0), U(0x12),
	U(0), { .flags = 0 }, { .flags = 0 }, { .flags = 0 },
};

void cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->f);
}

char *cap_close(struct cap *c)
{
	cr_assert_eq(fclose(c->f), 0);
	c->f = NULL;
	return c->buf;
}

struct ig_output_opts t_opts(enum ig_output_format fmt, struct cap *c, const char *fields)
{
	struct ig_output_opts o = {
		.sz = sizeof(o),
		.format = fmt,
		.out = c ? c->f : NULL,
		.fields = fields,
		.boot_to_wall_ns = T_BOOT_TO_WALL,
	};
	return o;
}

char *t_format_fields(const struct ig_field *fields, size_t nr_fields,
		      const struct ig_output_opts *opts, const struct ig_value *const *recs,
		      size_t nr)
{
	struct ig_output_opts o = *opts;
	struct ig_output *out;
	char err[512] = "";
	struct cap c;
	size_t i;

	cap_open(&c);
	o.out = c.f;
	out = ig_output__new(fields, nr_fields, &o, err, sizeof(err));
	cr_assert_not_null(out, "ig_output__new: %s", err);
	for (i = 0; i < nr; i++)
		cr_assert_eq(ig_output__record(out, recs[i]), 0);
	ig_output__destroy(out);
	return cap_close(&c);
}

char *t_format(const struct ig_output_opts *opts, const struct ig_value *const *recs, size_t nr)
{
	return t_format_fields(t_fields, NR_T_FIELDS, opts, recs, nr);
}
