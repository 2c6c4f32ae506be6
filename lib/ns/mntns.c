// SPDX-License-Identifier: Apache-2.0
/* Mount namespace ids (mntns.h). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mntns.h"

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t)	/* linux/nsfs.h, 6.8+ */
#endif

uint64_t ig_mntns_id_of_pid(int pid, uint64_t inum)
{
	char path[64];
	struct stat sb;
	uint64_t id = 0;
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
