/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Walking a libyaml document (YAML, or JSON read as YAML flow style) with
 * one complaint per problem: "<path>:<line>:<col>: <what is wrong>", the
 * position being that of the node at fault. Used by the profile parser.
 */
#ifndef IG_LIB_SECCOMP_YNODE_H
#define IG_LIB_SECCOMP_YNODE_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct yctx {
	yaml_document_t *doc;
	const char *path;
	char *err;
	size_t errlen;
};

/* Write the complaint about n (NULL: the top of the file); -EINVAL. */
int y_fail(struct yctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "a mapping", "a list", "a scalar". */
const char *y_kind(const yaml_node_t *n);
/* The text of a scalar, NULL for anything else. */
const char *y_scalar(const yaml_node_t *n);
/* A plain (unquoted) null, ~ or empty value. */
int y_is_null(const yaml_node_t *n);
yaml_node_t *y_node(struct yctx *c, int id);
/* Value node of key in a mapping, or NULL. */
yaml_node_t *y_get(struct yctx *c, yaml_node_t *map, const char *key);
/* 0, or the complaint that n is not of that type (what names the key). */
int y_want(struct yctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what);
/* A decimal integer 0..max. */
int y_u64(struct yctx *c, yaml_node_t *n, const char *what, uint64_t max, uint64_t *out);
/* A string; *out is strdup'ed. */
int y_str(struct yctx *c, yaml_node_t *n, const char *what, char **out);
/* Items of a sequence: for (it = y_first(n); it < y_end(n); it++). */
#define y_first(n)	((n)->data.sequence.items.start)
#define y_end(n)	((n)->data.sequence.items.top)
#define y_len(n)	((size_t)(y_end(n) - y_first(n)))

#endif /* IG_LIB_SECCOMP_YNODE_H */
