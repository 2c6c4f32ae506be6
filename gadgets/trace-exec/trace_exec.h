/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* trace-exec: the event shared by the BPF program and the user side. */
#ifndef TRACE_EXEC_H
#define TRACE_EXEC_H

#include <ig/ig_event.h>

#define TRACE_EXEC_PATH_LEN	256
#define TRACE_EXEC_ARGS_LEN	1024	/* power of two: the BPF side masks with it */

#define TRACE_EXEC_ARGS_TRUNCATED	(1u << 0)

struct trace_exec_event {
	struct ig_event_hdr hdr;
	__u32 args_size;	/* bytes of args used, NUL separators included */
	__u32 flags;		/* TRACE_EXEC_* */
	char filename[TRACE_EXEC_PATH_LEN];
	char args[TRACE_EXEC_ARGS_LEN];
};

#endif /* TRACE_EXEC_H */
