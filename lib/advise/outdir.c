// SPDX-License-Identifier: Apache-2.0
/* --output-dir: made when missing, one file per report (outdir.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"

int adv_outdir__make(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct stat sb;
	size_t i, n = strlen(dir);

	if (!n || n >= sizeof(path)) {
		snprintf(err, errlen, "--output-dir '%s': give a directory path", dir);
		return -EINVAL;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i])
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			snprintf(err, errlen, "--output-dir %s: cannot make %s: %s", dir, path,
				 strerror(errno));
			return -errno;
		}
		path[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "--output-dir %s: not a directory: give a directory "
			 "(it is made when missing)", dir);
		return -ENOTDIR;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(err, errlen, "--output-dir %s: cannot write there: %s", dir,
			 strerror(errno));
		return -EACCES;
	}
	return 0;
}

static void file_name(const char *name, char *out, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size && i < 160; i++) {
		char c = name[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || (c == '.' && i) ? c : '_';
	}
	out[i] = '\0';
	if (!i)
		snprintf(out, size, "report");
}

int adv_outdir__write(const char *dir, const char *name, const char *text, char *path,
		      size_t pathlen, char *err, size_t errlen)
{
	size_t len = strlen(text), off = 0;
	char base[192], tmp[4200];
	int fd, ret = 0;
	ssize_t w;

	file_name(name, base, sizeof(base));
	snprintf(path, pathlen, "%s/%s.json", dir, base);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -errno;
	}
	while (off < len && (w = write(fd, text + off, len - off)) > 0)
		off += (size_t)w;
	if (off < len || fchmod(fd, 0644))
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

int adv_outdir__write_json(const char *dir, const char *name, const json_t *doc, char *path,
			   size_t pathlen, char *err, size_t errlen)
{
	char *text = json_dumps(doc, JSON_INDENT(2));
	size_t len = text ? strlen(text) : 0;
	char *nl = text ? realloc(text, len + 2) : NULL;
	int ret;

	if (!nl) {
		free(text);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	ret = adv_outdir__write(dir, name, nl, path, pathlen, err, errlen);
	free(nl);
	return ret;
}
