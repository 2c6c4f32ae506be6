/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one module loader (internal): gadgets (engine/loader.c) and runtime
 * plugins (containers/plugins.c) are shared objects that ig runs as root, so
 * both go through the same checks, in this order, before any of their code
 * is trusted:
 *
 *   1. the path resolves to a regular file;
 *   2. nobody but its owner can write it, and its owner is root or the user
 *      running ig; the same holds for its directory (and, for a symlink, the
 *      link's directory);
 *   3. it is an ELF file;
 *   4. dlopen() succeeds and the entry symbol exists;
 *   5. the entry returns a descriptor whose ABI header (size, major, minor:
 *      both ABIs start so) has this ig's major and a minor not above ig's.
 *
 * What is specific to one ABI (a complete descriptor, table sizes) the caller
 * checks next, with the same wording ("not a gadget: ...").
 */
#ifndef IG_CORE_BASE_MODULE_H
#define IG_CORE_BASE_MODULE_H

#include <stddef.h>
#include <stdint.h>

/* One ABI, as this ig implements it. */
struct ig_module_abi {
	const char *noun;		/* "gadget", "plugin": in every message */
	const char *entry;		/* the entry symbol */
	uint16_t major, minor;		/* this ig's */
};

/* How both descriptors begin (struct ig_gadget_desc, struct ig_plugin_desc). */
struct ig_module_hdr {
	uint32_t sz;
	uint16_t abi_major;
	uint16_t abi_minor;
};

/*
 * Check and open path. Returns the descriptor its entry returned and the
 * dlopen() handle in *handle (dlclose() it when done), or NULL with errno
 * set, *handle NULL and one reason in why, without the path: "file is
 * writable by anyone (mode 0757); only root may be able to change a gadget",
 * "not a plugin: no entry symbol ig_plugin_entry", "built for gadget ABI
 * 2.0, but this ig has ABI 1.1 (the major must match); rebuild it against
 * this ig's headers" ...
 */
const void *ig_module__open(const struct ig_module_abi *abi, const char *path, void **handle,
			    char *why, size_t whylen);

/* Append the directories of a colon-separated list to *dirs (NULL-terminated,
 * *n entries). 0 or -ENOMEM. */
int ig_module__push_dirs(char ***dirs, size_t *n, const char *list);
/* Append where ig's own modules of one kind (subdir: "gadgets", "plugins")
 * are: next to the binary (the build tree), ../lib/ig/<subdir> from the
 * binary (an install under any prefix), then IG_LIBDIR/<subdir>. */
int ig_module__push_default_dirs(char ***dirs, size_t *n, const char *subdir);
void ig_module__free_dirs(char **dirs);

/* Call fn with the path of every *.so in dir, sorted by name, until fn
 * returns non-zero (returned). -errno if dir cannot be read. */
int ig_module__scan(const char *dir, int (*fn)(void *arg, const char *path), void *arg);

#endif /* IG_CORE_BASE_MODULE_H */
