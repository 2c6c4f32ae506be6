/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ig records: the typed values a gadget hands to the core, and the field
 * metadata that describes them. This header is part of the gadget ABI (see
 * gadget.h) and is also the only interface output/ formatters see.
 *
 * A record is an array of struct ig_value, one per field of the gadget's
 * field table, in table order. The core appends enrichment values (container
 * and Kubernetes names) after the gadget's own fields before formatting.
 *
 * ABI rules: struct ig_value is fixed at 16 bytes forever. struct ig_field
 * and struct ig_enum_name are append-only; arrays of them are walked with the
 * element size the gadget declared (struct ig_gadget_desc.field_sz), never
 * with the host's sizeof.
 */
#ifndef IG_RECORD_H
#define IG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a value is stored (and so how a formatter prints it). */
enum ig_field_type {
	IG_FT_STRING = 1,	/* v.s, NUL-terminated UTF-8 (or len bytes if len) */
	IG_FT_INT,		/* v.i, signed 64-bit */
	IG_FT_UINT,		/* v.u, unsigned 64-bit */
	IG_FT_BOOL,		/* v.u != 0 */
	IG_FT_TIMESTAMP,	/* v.u, kernel CLOCK_BOOTTIME ns (bpf_ktime_get_boot_ns);
				 * printed as RFC 3339 wall clock with ns */
	IG_FT_ENUM,		/* v.u, printed by name through field.enums */
	IG_FT_BITMASK,		/* v.u, printed as "A|B" through field.enums (bit values) */
};

/* What a value means. Formatters do not change behaviour on it except where
 * noted; the core uses it to find the namespace to enrich from, and help and
 * docs show it. Append only. */
enum ig_field_kind {
	IG_FK_NONE = 0,
	IG_FK_PID,
	IG_FK_TID,
	IG_FK_PPID,
	IG_FK_COMM,
	IG_FK_UID,
	IG_FK_GID,
	IG_FK_MNTNS,		/* the core enriches the record from the first MNTNS field */
	IG_FK_NETNS,		/* ... or, failing that, from the first NETNS field */
	IG_FK_SYSCALL,
	IG_FK_CAPABILITY,
	IG_FK_ERRNO,
	IG_FK_TIMESTAMP,
	IG_FK_CONTAINER,	/* an enrichment field, filled by the core */
	IG_FK_K8S,		/* an enrichment field, filled by the core */
	IG_FK_ADDR,		/* IP address as text */
	IG_FK_PORT,
	IG_FK_PROTO,
	IG_FK_SIGNAL,
	IG_FK_USERNS,
	IG_FK_PATH,
	IG_FK_COUNT,
};

enum ig_align {
	IG_ALIGN_LEFT = 0,
	IG_ALIGN_RIGHT = 1,
};

/* Field flags. */
#define IG_FIELD_HIDDEN		(1u << 0)	/* not in the default table columns */

/* One name of an enum or bitmask field. Arrays end with name == NULL. */
struct ig_enum_name {
	uint64_t value;
	const char *name;
};

/*
 * One column of a gadget's records. Gadgets declare a static const array;
 * all strings are static and owned by the gadget for the life of the .so.
 */
struct ig_field {
	const char *name;	/* "pid", "syscall", "k8s.namespace": dots make JSON
				 * nest ("k8s": {"namespace": ...}) */
	const char *description;/* one line, for --help and docs */
	uint16_t type;		/* enum ig_field_type */
	uint16_t kind;		/* enum ig_field_kind */
	uint16_t width;		/* table column width; 0 means the default (16) */
	uint8_t align;		/* enum ig_align */
	uint8_t flags;		/* IG_FIELD_* */
	const struct ig_enum_name *enums; /* ENUM/BITMASK names, else NULL */
};

/* Value flags. */
#define IG_VALUE_SET		(1u << 0)	/* unset values print as empty / null */

/*
 * One value of a record. Fixed 16 bytes. Strings are borrowed: they must
 * stay valid until the emit call that carries them returns; the core copies
 * what it keeps.
 */
struct ig_value {
	union {
		int64_t i;
		uint64_t u;
		const char *s;
	} v;
	uint32_t len;		/* strings: byte length, 0 = use strlen */
	uint32_t flags;		/* IG_VALUE_* */
};

/* Convenience constructors for gadget code. */
static inline struct ig_value ig_val_u64(uint64_t u)
{
	struct ig_value val = { .v.u = u, .flags = IG_VALUE_SET };
	return val;
}

static inline struct ig_value ig_val_i64(int64_t i)
{
	struct ig_value val = { .v.i = i, .flags = IG_VALUE_SET };
	return val;
}

static inline struct ig_value ig_val_str(const char *s)
{
	struct ig_value val = { .v.s = s, .flags = s ? IG_VALUE_SET : 0 };
	return val;
}

static inline struct ig_value ig_val_strn(const char *s, uint32_t len)
{
	struct ig_value val = { .v.s = s, .len = len, .flags = s ? IG_VALUE_SET : 0 };
	return val;
}

static inline struct ig_value ig_val_bool(bool b)
{
	struct ig_value val = { .v.u = b, .flags = IG_VALUE_SET };
	return val;
}

#ifdef __cplusplus
}
#endif

#endif /* IG_RECORD_H */
