// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: telling mount namespaces apart. An inode number is
 * recycled as soon as its namespace is freed; the namespace id
 * (NS_GET_MNTNS_ID, 6.8+) is not, so recording slots are keyed by id, and an
 * inode is checked against the live processes before it is trusted.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/ns/mntns.h"
#include "seccomp_advisor_int.h"

/* Whether a live process is in the mount namespace with inode inum (and, if
 * nsid is not 0, with that id). */
bool sa_mntns_alive(uint64_t inum, uint64_t nsid)
{
	char path[300];
	struct dirent *d;
	struct stat sb;
	bool alive = false;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return false;
	while (!alive && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		if (nsid) {
			alive = ig_mntns_id_of_pid(atoi(d->d_name), inum) == nsid;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", d->d_name);
		alive = !stat(path, &sb) && sb.st_ino == inum;
	}
	closedir(dir);
	return alive;
}
