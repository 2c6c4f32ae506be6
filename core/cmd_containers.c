// SPDX-License-Identifier: Apache-2.0
/* ig list-containers: temporary stub. */
#include <stdio.h>

int ig_cmd_list_containers(int argc, char **argv);

int ig_cmd_list_containers(int argc, char **argv)
{
	fprintf(stderr, "ig: list-containers: not implemented yet\n");
	return 1;
}
