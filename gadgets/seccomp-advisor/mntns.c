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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccomp_advisor_int.h"

/* Whether a live process has mount namespace inode inum. */
bool sa_mntns_inum_alive(uint64_t inum)
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
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", d->d_name);
		alive = !stat(path, &sb) && sb.st_ino == inum;
	}
	closedir(dir);
	return alive;
}

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, __u64)	/* linux/nsfs.h, 6.8+ */
#endif

uint64_t sa_mntns_id_of_pid(int pid, uint64_t inum)
{
	char path[64];
	struct stat sb;
	__u64 id = 0;
	int fd;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) || sb.st_ino != inum || ioctl(fd, NS_GET_MNTNS_ID, &id))
		id = 0;
	close(fd);
	return id;
}

bool sa_mntns_id_alive(uint64_t inum, uint64_t nsid)
{
	struct dirent *d;
	bool alive = false;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return false;
	while (!alive && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		alive = sa_mntns_id_of_pid(atoi(d->d_name), inum) == nsid;
	}
	closedir(dir);
	return alive;
}
