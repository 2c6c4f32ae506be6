// SPDX-License-Identifier: Apache-2.0
/* ig hook: temporary stub. */
#include <stdio.h>

int ig_cmd_hook(int argc, char **argv);

int ig_cmd_hook(int argc, char **argv)
{
	fprintf(stderr, "ig: hook: not implemented yet\n");
	return 1;
}
