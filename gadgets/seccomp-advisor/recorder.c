// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: the BPF side's user half. Sizes the bitmaps from the
 * syscall count, loads and attaches the program, and reads the per-CPU
 * bitmaps back (OR over CPUs) when a report is due.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"
#include "seccomp_advisor.skel.h"


/* The short --args table: what to record of which syscall. */
static const struct {
	const char *name;
	uint8_t pos;
} arg_table[] = {
	{ "socket", 0 },	/* domain */
	{ "clone", 0 },		/* flags */
	{ "personality", 0 },	/* persona */
	{ "prctl", 0 },		/* option */
	{ "ioctl", 1 },		/* request */
};

int sa_arg_pos(uint32_t nr)
{
	unsigned int i;

	for (i = 0; i < sizeof(arg_table) / sizeof(arg_table[0]); i++)
		if (seccomp_syscall_resolve_name(arg_table[i].name) == (int)nr)
			return arg_table[i].pos;
	return -ENOENT;
}

/* Native (or compat) number of a syscall, ~0u when this host has none. */
static __u32 nr_of(const char *name, bool compat)
{
	uint32_t arch = compat ? sa_arch_compat(sa_arch_native()) : SCMP_ARCH_NATIVE;
	int nr;

	if (compat && !arch)
		return ~0u;
	nr = seccomp_syscall_resolve_name_arch(arch, name);
	return nr >= 0 ? (__u32)nr : ~0u;
}

/* Mark a syscall in the BPF side's table of special ones. */
static void mark_special(struct sa_recorder *r, __u32 nr, bool compat)
{
	__u32 bit;

	if (nr >= r->nr_syscalls)
		return;
	bit = compat ? nr + r->nr_syscalls : nr;
	r->skel->rodata->targ_special[bit / 64] |= 1ULL << (bit % 64);
}

static void configure_special(struct sa_recorder *r, const struct sa_recorder_opts *o)
{
	struct seccomp_advisor_bpf__rodata *ro = r->skel->rodata;
	unsigned int i;

	ro->targ_execve_nr = nr_of("execve", false);
	ro->targ_execveat_nr = nr_of("execveat", false);
	ro->targ_unshare_nr = nr_of("unshare", false);
	ro->targ_setns_nr = nr_of("setns", false);
	ro->targ_unshare32_nr = nr_of("unshare", true);
	ro->targ_setns32_nr = nr_of("setns", true);
	mark_special(r, ro->targ_execve_nr, false);
	mark_special(r, ro->targ_execveat_nr, false);
	if (!o->command_mode) {
		mark_special(r, ro->targ_unshare_nr, false);
		mark_special(r, ro->targ_setns_nr, false);
		mark_special(r, ro->targ_unshare32_nr, true);
		mark_special(r, ro->targ_setns32_nr, true);
	}
	for (i = 0; o->args && i < SA_ARG_SYSCALLS; i++)
		mark_special(r, ro->targ_arg_nr[i], false);
}

static int configure(struct sa_recorder *r, const struct sa_recorder_opts *o)
{
	struct seccomp_advisor_bpf *skel = r->skel;
	unsigned int i, n = 0;
	int nr, err;

	skel->rodata->nr_syscalls = r->nr_syscalls;
	skel->rodata->ig_filter_mode = o->command_mode ? 2 : 0;	/* IG_FILTER_PID : NONE */
	skel->rodata->targ_args = o->args;
	skel->rodata->ig_task_btf = o->task_btf;
	bpf_program__set_autoload(skel->progs.sa_sys_enter, o->task_btf);
	bpf_program__set_autoload(skel->progs.sa_sys_enter_probe, !o->task_btf);
	for (i = 0; i < sizeof(arg_table) / sizeof(arg_table[0]); i++) {
		nr = seccomp_syscall_resolve_name(arg_table[i].name);
		if (nr < 0)
			continue;
		skel->rodata->targ_arg_nr[n] = nr;
		skel->rodata->targ_arg_pos[n] = arg_table[i].pos;
		n++;
	}
	configure_special(r, o);
	err = bpf_map__set_value_size(skel->maps.sa_bitmaps, r->value_size);
	err = err ?: bpf_map__set_max_entries(skel->maps.sa_bitmaps, r->max_slots * SA_NR_PHASES);
	err = err ?: bpf_map__set_max_entries(skel->maps.sa_slots, r->max_slots);
	err = err ?: bpf_map__set_max_entries(skel->maps.sa_free_slots, r->max_slots);
	if (!err && o->pid_filter_fd >= 0)
		err = bpf_map__reuse_fd(skel->maps.ig_pid_filter, o->pid_filter_fd);
	return err;
}

static int fill_free_slots(struct sa_recorder *r)
{
	int fd = bpf_map__fd(r->skel->maps.sa_free_slots);
	uint32_t slot;

	/* Command mode uses slot 0 only, without the queue. */
	for (slot = r->command_mode ? r->max_slots : 0; slot < r->max_slots; slot++)
		if (bpf_map_update_elem(fd, NULL, &slot, 0))
			return -errno;
	return 0;
}

struct sa_recorder *sa_recorder__open(const struct sa_recorder_opts *o, const char **why)
{
	struct sa_recorder *r;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->nr_syscalls = sa_native_syscall_count();
	r->max_slots = o->max_slots ? o->max_slots : SA_DEFAULT_SLOTS;
	r->value_size = 2 * r->nr_syscalls / 8 + 8;	/* both regions + the stamp */
	r->command_mode = o->command_mode;
	r->keyed_by_id = -1;
	r->ncpus = libbpf_num_possible_cpus();
	if (r->ncpus <= 0) {
		*why = "cannot count the possible CPUs";
		err = r->ncpus ? r->ncpus : -EINVAL;
		goto err_free;
	}
	r->buf = calloc(r->ncpus, (r->value_size + 7) & ~7u);
	r->skel = seccomp_advisor_bpf__open();
	if (!r->buf || !r->skel) {
		*why = "cannot open the BPF object";
		err = -ENOMEM;
		goto err_free;
	}
	err = configure(r, o);
	if (err) {
		*why = "cannot size the BPF maps";
		goto err_free;
	}
	err = seccomp_advisor_bpf__load(r->skel);
	if (err) {
		*why = "the kernel refused the BPF program (run with -v for the verifier log)";
		goto err_free;
	}
	err = fill_free_slots(r);
	if (err) {
		*why = "cannot fill the free slot queue";
		goto err_free;
	}
	r->skel->bss->sa_cmd_pid = o->cmd_pid;
	err = seccomp_advisor_bpf__attach(r->skel);
	if (err) {
		*why = "cannot attach to the sys_enter tracepoint";
		goto err_free;
	}
	return r;

err_free:
	sa_recorder__destroy(r);
	errno = -err;
	return NULL;
}

void sa_recorder__detach(struct sa_recorder *r)
{
	if (r && r->skel)
		seccomp_advisor_bpf__detach(r->skel);
}

void sa_recorder__destroy(struct sa_recorder *r)
{
	if (!r)
		return;
	seccomp_advisor_bpf__destroy(r->skel);
	free(r->buf);
	free(r);
}

uint32_t sa_recorder__nr_syscalls(const struct sa_recorder *r)
{
	return r->nr_syscalls;
}

/* OR every CPU's copy of bitmap idx into s. */
int sa_recorder__or_bitmap(struct sa_recorder *r, uint32_t idx, struct sa_set *s)
{
	uint32_t words = r->nr_syscalls / 64, stride = (r->value_size + 7) & ~7u;
	int fd = bpf_map__fd(r->skel->maps.sa_bitmaps), cpu;
	uint32_t i;

	if (bpf_map_lookup_elem(fd, &idx, r->buf))
		return -errno;
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		const uint64_t *v = (const uint64_t *)((char *)r->buf + (size_t)cpu * stride);

		for (i = 0; i < words; i++) {
			s->native[i] |= v[i];
			s->compat[i] |= v[words + i];
		}
		if (v[2 * words] > s->stamp)
			s->stamp = v[2 * words];
	}
	return 0;
}

static void read_args(struct sa_recorder *r, uint32_t idx, struct sa_set *s)
{
	int vfd = bpf_map__fd(r->skel->maps.sa_arg_values);
	int cfd = bpf_map__fd(r->skel->maps.sa_arg_counts);
	struct sa_arg_key key, next, *prev = NULL;
	struct sa_arg_count_key ck, cnext, *cprev = NULL;
	uint32_t cnt;

	while (!bpf_map_get_next_key(vfd, prev, &next)) {
		key = next;
		prev = &key;
		if (key.idx == idx)
			sa_set__add_arg(s, key.nr, sa_arg_pos(key.nr), key.value, false);
	}
	while (!bpf_map_get_next_key(cfd, cprev, &cnext)) {
		ck = cnext;
		cprev = &ck;
		if (ck.idx == idx && !bpf_map_lookup_elem(cfd, &ck, &cnt) &&
		    cnt > SA_ARGS_MAX_VALUES)
			sa_set__add_arg(s, ck.nr, sa_arg_pos(ck.nr), 0, true);
	}
}

int sa_recorder__read(struct sa_recorder *r, const struct sa_target *t,
		      struct sa_set **setup, struct sa_set **run)
{
	struct sa_set *sets[SA_NR_PHASES] = {};
	uint32_t slot, phase;
	uint64_t key;
	int err;

	err = sa_recorder__slot_of(r, t, &key, &slot);
	if (err)
		return err;
	for (phase = 0; phase < SA_NR_PHASES; phase++) {
		sets[phase] = sa_set__new(r->nr_syscalls);
		if (!sets[phase]) {
			err = -ENOMEM;
			goto err_free;
		}
		err = sa_recorder__or_bitmap(r, slot * SA_NR_PHASES + phase, sets[phase]);
		if (err)
			goto err_free;
		read_args(r, slot * SA_NR_PHASES + phase, sets[phase]);
	}
	*setup = sets[SA_PHASE_SETUP];
	*run = sets[SA_PHASE_RUN];
	return 0;

err_free:
	sa_set__free(sets[0]);
	sa_set__free(sets[1]);
	return err;
}

void sa_recorder__forget_args(struct sa_recorder *r, uint32_t idx)
{
	int vfd = bpf_map__fd(r->skel->maps.sa_arg_values);
	int cfd = bpf_map__fd(r->skel->maps.sa_arg_counts);
	struct sa_arg_key key, next, *prev = NULL;
	struct sa_arg_count_key ck, cnext, *cprev = NULL;

	/* Deleting the current key restarts the walk from the start: fine for
	 * these small maps. */
	while (!bpf_map_get_next_key(vfd, prev, &next)) {
		key = next;
		prev = &key;
		if (key.idx == idx && !bpf_map_delete_elem(vfd, &key))
			prev = NULL;
	}
	while (!bpf_map_get_next_key(cfd, cprev, &cnext)) {
		ck = cnext;
		cprev = &ck;
		if (ck.idx == idx && !bpf_map_delete_elem(cfd, &ck))
			cprev = NULL;
	}
}

void sa_recorder__clear_slot(struct sa_recorder *r, uint32_t slot)
{
	uint32_t phase, idx;

	memset(r->buf, 0, (size_t)r->ncpus * ((r->value_size + 7) & ~7u));
	for (phase = 0; phase < SA_NR_PHASES; phase++) {
		idx = slot * SA_NR_PHASES + phase;
		bpf_map_update_elem(bpf_map__fd(r->skel->maps.sa_bitmaps), &idx, r->buf, 0);
		sa_recorder__forget_args(r, idx);
	}
	/* A CPU may still cache the old key -> slot: make every cache refill
	 * before the slot is handed out again. */
	__atomic_fetch_add(&r->skel->bss->sa_epoch, 1, __ATOMIC_SEQ_CST);
}

int sa_recorder__release(struct sa_recorder *r, const struct sa_target *t)
{
	int sfd = bpf_map__fd(r->skel->maps.sa_slots);
	uint32_t slot;
	uint64_t key;
	int err;

	if (r->command_mode)
		return 0;
	err = sa_recorder__slot_of(r, t, &key, &slot);
	if (err)
		return err;
	if (bpf_map_delete_elem(sfd, &key))
		return -errno;
	sa_recorder__clear_slot(r, slot);
	if (bpf_map_update_elem(bpf_map__fd(r->skel->maps.sa_free_slots), NULL, &slot, 0))
		return -errno;
	return 0;
}

uint64_t sa_recorder__counter(struct sa_recorder *r, enum sa_counter which)
{
	uint64_t *vals, sum = 0;
	uint32_t key = which;
	int cpu;

	vals = calloc(r->ncpus, sizeof(*vals));
	if (!vals)
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.sa_counters), &key, vals))
		for (cpu = 0; cpu < r->ncpus; cpu++)
			sum += vals[cpu];
	free(vals);
	return sum;
}
