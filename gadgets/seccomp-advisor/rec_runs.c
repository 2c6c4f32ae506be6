// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: the recorder's part in --runs and in the polls behind
 * "last new" and --until-stable: what a slot holds so far, cheaply, and a
 * fresh slot for the next run of the command.
 */
#include <errno.h>
#include <string.h>

#include "seccomp_advisor_int.h"
#include "seccomp_advisor.skel.h"

int sa_recorder__bits(struct sa_recorder *r, const struct sa_target *t, struct sa_set *s)
{
	uint32_t slot, phase;
	uint64_t key;
	int err;

	err = sa_recorder__slot_of(r, t, &key, &slot);
	for (phase = 0; !err && phase < SA_NR_PHASES; phase++)
		err = sa_recorder__or_bitmap(r, slot * SA_NR_PHASES + phase, s);
	return err;
}

/*
 * The previous run has exited (its leftovers may not have): stop recording
 * before emptying the slot, so nothing lands between; the next run starts
 * the recording again at its own execve (the BPF side's on_execve).
 */
void sa_recorder__next_run(struct sa_recorder *r, int pid)
{
	__atomic_store_n(&r->skel->bss->sa_cmd_started, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&r->skel->bss->sa_cmd_pid, (__u32)pid, __ATOMIC_SEQ_CST);
	sa_recorder__clear_slot(r, 0);
}
