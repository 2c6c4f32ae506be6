/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files ig reads that others may write, and files ig writes as root
 * (internal). The one place for both policies:
 *
 * Reading: regular files only (a FIFO would block ig's only thread, a
 * device or /proc file could be endless), opened with O_NONBLOCK so that
 * opening a FIFO does not wait for a writer, never more than a stated size.
 *
 * Writing (--ready-file, profiles in --output-dir): a temporary file with an
 * unpredictable name is created with O_EXCL next to the target (so nobody
 * can have put a symlink there), written whole, then renamed over the
 * target. The target is only ever replaced when it is a regular file: a
 * symlink, FIFO, device or directory at that name makes the write fail, so
 * a user's symlink cannot make root overwrite a file it points to, and
 * `--ready-file /dev/full` does not replace the device. Where the kernel and
 * filesystem allow it (renameat2), the check and the replacement are one
 * atomic step: nothing can be swapped in between.
 */
#ifndef IG_CORE_BASE_FILE_H
#define IG_CORE_BASE_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* ig_file__read flags */
#define IG_FILE_NOFOLLOW	(1u << 0)	/* refuse a symlink as the last component */

/*
 * The whole of a regular file of at most max bytes, NUL-terminated (*len
 * without the NUL). NULL with errno and a reason for the user in why:
 * EINVAL "is a directory, not a file" / "is a FIFO, not a regular file" ...,
 * EFBIG "is larger than N bytes", or open/read's errno.
 */
char *ig_file__read(const char *path, size_t max, unsigned int flags, size_t *len,
		    char *why, size_t whylen);

/* ig_file__write flags */
#define IG_FILE_SYNC		(1u << 0)	/* fsync before the rename */

/*
 * Replace (or create) path with data, atomically and safely as described
 * above; the file gets mode (umask applies). 0, or -errno with a reason in
 * why: "is a symlink; not replacing it" and the like, or the failing step's
 * error.
 */
int ig_file__write(const char *path, const void *data, size_t len, mode_t mode,
		   unsigned int flags, char *why, size_t whylen);

/* --ready-file of ig run and list-containers --watch: ig's pid and a
 * newline, written as above, so a reader never sees half a pid. 0 or -errno
 * after one error line. */
int ig_file__write_ready(const char *path);

/* Whether files can be created in dir: a directory where a probe file can
 * be created and removed. 0 or -errno with a reason in why. */
int ig_file__check_dir(const char *dir, char *why, size_t whylen);
/* Make dir, with its parents (mode 0755, as mkdir -p), where it does not
 * exist yet. 0, or -errno with "cannot make /a/b: ..." in why. */
int ig_file__make_dirs(const char *dir, char *why, size_t whylen);

/*
 * A file name from name (a container's name, anyone's choice): bytes other
 * than A-Z a-z 0-9 . _ - become '_', and so does a leading '.' (no hidden
 * files, no "." or ".."); an empty name is "_". A name longer than
 * IG_FILE_SAFE_NAME_CUT bytes is cut there and gets "-" and 8 hex digits of
 * a hash of the whole name. dst needs IG_FILE_SAFE_NAME_MAX + 1 bytes;
 * returns the length (0 when dst is too small).
 */
#define IG_FILE_SAFE_NAME_CUT	160
#define IG_FILE_SAFE_NAME_MAX	(IG_FILE_SAFE_NAME_CUT + 9)
size_t ig_file__safe_name(char *dst, size_t size, const char *name);

/* What kind of file mode is, for messages: "a directory", "a FIFO" ... */
const char *ig_file__kind(mode_t mode);

#endif /* IG_CORE_BASE_FILE_H */
