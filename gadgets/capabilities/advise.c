// SPDX-License-Identifier: Apache-2.0
/*
 * The advice: which capabilities a container's workload needed, from the
 * per-(container, capability, verdict, flags) counts the BPF program kept.
 *
 * Only audited checks made with the task's own credentials after the
 * runtime's set-up count. Non-audited checks are the kernel probing for a
 * capability it can do without (every writable mmap asks for CAP_SYS_ADMIN to
 * pick an overcommit rule), runc's init checks are the runtime's, and checks
 * with overridden credentials (overlayfs copy-up) are the kernel's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capabilities_int.h"

void caps_advice_init(struct caps_advice *a, uint64_t mntns)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->mntns = mntns;
	for (i = 0; i < CAPS_NR; i++) {
		a->deny_syscall[i] = -1;
		a->need_syscall[i] = -1;
	}
}

void caps_advice_add(struct caps_advice *a, const struct cap_agg_key *k,
		     const struct cap_agg_val *v)
{
	uint64_t bit;

	if (k->cap >= CAPS_NR)
		return;
	bit = 1ull << k->cap;
	if (k->flags & CAPS_F_KTHREAD) {
		a->ignored_kthread += v->count;
	} else if (k->flags & CAPS_F_SETUP) {
		a->ignored_setup += v->count;
	} else if (k->flags & CAPS_F_OVERRIDE) {
		a->ignored_override += v->count;
	} else if (!(k->flags & CAPS_F_AUDIT)) {
		a->ignored_noaudit += v->count;
		a->noaudit_caps |= bit;
	} else {
		if (!(a->needed & bit))
			a->need_syscall[k->cap] = v->syscall;
		a->needed |= bit;
		if (k->verdict == CAPS_VERDICT_DENY) {
			if (!(a->denied & bit)) {
				a->deny_syscall[k->cap] = v->syscall;
				a->deny_pid[k->cap] = v->pid;
				memcpy(a->deny_comm[k->cap], v->comm, IG_COMM_LEN);
				a->deny_comm[k->cap][IG_COMM_LEN] = '\0';
			}
			a->denied |= bit;
			a->denied_count[k->cap] += v->count;
		} else {
			a->allowed_count[k->cap] += v->count;
		}
	}
	/* a capability the workload also asked for with audit is needed */
	a->noaudit_caps &= ~a->needed;
}

/* JSON array of the capabilities in mask, with or without the CAP_ prefix. */
static json_t *cap_array(uint64_t mask, bool prefix)
{
	json_t *arr = json_array();
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < CAPS_NR; i++) {
		if (!(mask & (1ull << i)))
			continue;
		if (json_array_append_new(arr, json_string(caps_name(i) + (prefix ? 0 : 4)))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static const char *syscall_text(caps_syscall_name_fn sysname, int nr, char *buf, size_t len)
{
	const char *name = nr >= 0 && sysname ? sysname(nr) : NULL;

	if (name)
		return name;
	if (nr < 0)
		return "no syscall";
	snprintf(buf, len, "syscall %d", nr);
	return buf;
}

static json_t *checks_array(const struct caps_advice *a, caps_syscall_name_fn sysname)
{
	json_t *arr = json_array();
	unsigned int i;
	char buf[32];

	for (i = 0; arr && i < CAPS_NR; i++) {
		if (!(a->needed & (1ull << i)))
			continue;
		if (json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:s}",
				"capability", caps_name(i),
				"allowed", (json_int_t)a->allowed_count[i],
				"denied", (json_int_t)a->denied_count[i],
				"syscall", syscall_text(sysname, a->need_syscall[i],
							buf, sizeof(buf))))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int add_note(json_t *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_note(json_t *notes, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return json_array_append_new(notes, json_string(text));
}

static json_t *notes_array(const struct caps_advice *a, caps_syscall_name_fn sysname)
{
	json_t *notes = json_array();
	unsigned int i;
	char buf[32];
	int err = 0;

	for (i = 0; notes && i < CAPS_NR; i++) {
		if (!(a->denied & (1ull << i)))
			continue;
		err |= add_note(notes, "the workload asked for %s and was refused (%llu time%s, "
				"first by %s pid %u in %s); it is in the advice: drop it only "
				"if the workload copes without", caps_name(i),
				(unsigned long long)a->denied_count[i],
				a->denied_count[i] == 1 ? "" : "s", a->deny_comm[i],
				a->deny_pid[i], syscall_text(sysname, a->deny_syscall[i], buf,
							     sizeof(buf)));
	}
	if (notes && a->ignored_noaudit) {
		char names[512] = "";
		size_t off = 0;

		for (i = 0; i < CAPS_NR && off < sizeof(names); i++)
			if (a->noaudit_caps & (1ull << i))
				off += snprintf(names + off, sizeof(names) - off, "%s%s",
						off ? ", " : " (", caps_name(i));
		err |= add_note(notes, "%llu non-audited check%s left out: the kernel probes "
				"without auditing when it can do without the capability%s%s",
				(unsigned long long)a->ignored_noaudit,
				a->ignored_noaudit == 1 ? "" : "s", names, off ? ")" : "");
	}
	if (notes && a->ignored_setup)
		err |= add_note(notes, "%llu check%s by the runtime's own set-up (runc init) "
				"left out", (unsigned long long)a->ignored_setup,
				a->ignored_setup == 1 ? "" : "s");
	if (notes && a->ignored_override)
		err |= add_note(notes, "%llu check%s made with overridden credentials "
				"(e.g. overlayfs copy-up) left out: they are the kernel's",
				(unsigned long long)a->ignored_override,
				a->ignored_override == 1 ? "" : "s");
	if (err) {
		json_decref(notes);
		return NULL;
	}
	return notes;
}

json_t *caps_advice_document(const struct caps_advice *a, const struct caps_advice_target *t,
			     caps_syscall_name_fn sysname)
{
	json_t *doc, *kcaps, *ocaps;

	kcaps = json_pack("{s:[s], s:o*}", "drop", "ALL", "add", cap_array(a->needed, false));
	ocaps = json_pack("{s:o*, s:o*, s:o*}", "bounding", cap_array(a->needed, true),
			  "effective", cap_array(a->needed, true),
			  "permitted", cap_array(a->needed, true));
	doc = json_pack("{s:s*, s:s*, s:s*, s:I, s:{s:o*}, s:{s:o*}, s:o*, s:o*, s:{s:I, s:I, s:I, s:I}}",
			"container", t ? t->container : NULL,
			"containerId", t ? t->id : NULL,
			"runtime", t ? t->runtime : NULL,
			"mntns", (json_int_t)a->mntns,
			"securityContext", "capabilities", kcaps,
			"process", "capabilities", ocaps,
			"checks", checks_array(a, sysname),
			"notes", notes_array(a, sysname),
			"ignored", "nonAudited", (json_int_t)a->ignored_noaudit,
			"runtimeSetup", (json_int_t)a->ignored_setup,
			"overriddenCreds", (json_int_t)a->ignored_override,
			"kernelThreads", (json_int_t)a->ignored_kthread);
	if (!doc || !json_object_get(doc, "checks") || !json_object_get(doc, "notes") ||
	    !kcaps || !ocaps) {
		json_decref(doc);
		errno = ENOMEM;
		return NULL;
	}
	return doc;
}
