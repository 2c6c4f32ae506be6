/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --output-dir of every advisor: the directory is made when it is missing
 * (with its parents, as mkdir -p), checked before recording starts, and
 * each report written there as one file.
 */
#ifndef IG_LIB_ADVISE_OUTDIR_H
#define IG_LIB_ADVISE_OUTDIR_H

#include <stddef.h>

#include <jansson.h>

/* Make dir (and its parents, mode 0755) unless it is a directory already.
 * 0, or -errno with "what is wrong, what to do" in err. */
int adv_outdir__make(const char *dir, char *err, size_t errlen);
/* Write text as dir/<name>.json (name made a file name: letters, digits,
 * '.', '-' and '_' kept, the rest '_'); its path into path. Written to a
 * temporary of its own and renamed over the target, so a reader never sees
 * half a report. 0 or -errno with err set. */
int adv_outdir__write(const char *dir, const char *name, const char *text, char *path,
		      size_t pathlen, char *err, size_t errlen);
/* The same for a JSON document, indented by two spaces. */
int adv_outdir__write_json(const char *dir, const char *name, const json_t *doc, char *path,
			   size_t pathlen, char *err, size_t errlen);

#endif /* IG_LIB_ADVISE_OUTDIR_H */
