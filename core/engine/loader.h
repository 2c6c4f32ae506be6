/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Gadget loader (internal): finds gadget .so files on the search path,
 * checks them (ELF, permissions, entry symbol, ABI version, descriptor
 * sanity) before trusting them, and normalises their field, parameter and
 * hook tables to the host's struct sizes.
 *
 * Search path, first match wins: --gadget-path DIR[:DIR...], then
 * $IG_GADGET_PATH (colon-separated), then gadgets/ next to the ig binary
 * (the build tree), then ../lib/ig/gadgets from the binary (an install
 * under any prefix), then IG_LIBDIR/gadgets (the configured install dir).
 */
#ifndef IG_CORE_ENGINE_LOADER_H
#define IG_CORE_ENGINE_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <ig/gadget.h>

struct ig_gadget_mod {
	char *path;
	void *handle;			/* dlopen handle */
	const struct ig_gadget_desc *desc;	/* the gadget's own, read with care */
	struct ig_field *fields;	/* host-sized copies of desc->fields */
	size_t nr_fields;
	struct ig_param *params;	/* host-sized copies of desc->params */
	size_t nr_params;
	struct ig_hook *hooks;		/* host-sized copies of desc->hooks (ABI 1.4) */
	size_t nr_hooks;
};

/*
 * Check and load one file. On refusal returns NULL with errno set and a
 * one-line reason (without the path) in why: "not an ELF file", "missing
 * entry symbol ig_gadget_entry", "ABI 2.0, ig supports 1.x",
 * "writable by others (mode 0666)" ...
 */
struct ig_gadget_mod *ig_gadget_mod__open(const char *path, char *why, size_t whylen);
void ig_gadget_mod__close(struct ig_gadget_mod *m);

/* The search directories as a NULL-terminated array (free with
 * ig_loader__free_dirs). gadget_path may be NULL. */
char **ig_loader__dirs(const char *gadget_path);
void ig_loader__free_dirs(char **dirs);

/*
 * Find gadget `name` (file <name>.so) on the search path. Refused files are
 * reported with one warning line each and the search goes on. NULL with
 * errno ENOENT when no usable file was found.
 */
struct ig_gadget_mod *ig_loader__find(const char *name, const char *gadget_path);

/* Call fn for every usable gadget on the search path (a name found again
 * later on the path is shadowed and skipped), sorted by file name within a
 * directory. Refused files get one warning line each. Returns the number of
 * gadgets, or fn's non-zero return. quiet: do not print refusals. */
int ig_loader__foreach(const char *gadget_path, bool quiet,
		       int (*fn)(void *arg, const struct ig_gadget_mod *m), void *arg);

/* "a, b, c": the usable gadget names, for "unknown gadget" errors. */
void ig_loader__names(const char *gadget_path, char *buf, size_t len);

#endif /* IG_CORE_ENGINE_LOADER_H */
