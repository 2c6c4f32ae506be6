// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: whose recording a slot is. Slots are keyed by namespace id
 * where the kernel has one (6.18) and by inode number before; inode numbers
 * are reused at once, so several slots may share one, and a slot is found
 * by id when the id is known, else by inode and a pick among them.
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "seccomp_advisor_int.h"
#include "seccomp_advisor.skel.h"

/*
 * The slot of mount namespace inode inum, and its map key. Slots are keyed
 * by namespace id, so several may share a recycled inode number: only the
 * newest (highest id) can be alive. For an exited container, that newest
 * one is someone else's when a live process still has the inode.
 */
int sa_recorder__slot_of(struct sa_recorder *r, const struct sa_target *t, uint64_t *key_out,
			 uint32_t *slot)
{
	uint64_t *keys = NULL, best[2] = { 0, 0 }, key = t->nsid;
	struct sa_slot v;
	int n;

	if (r->command_mode) {
		*slot = 0;
		*key_out = 0;
		return 0;
	}
	if (!key) {
		n = sa_recorder__keys_with_inum(r, t->inum, &keys);
		for (int i = 0; i < n; i++) {	/* keys are never 0 */
			if (keys[i] > best[0]) {
				best[1] = best[0];
				best[0] = keys[i];
			} else if (keys[i] > best[1]) {
				best[1] = keys[i];
			}
		}
		free(keys);
		if (n < 0)
			return n;
		key = n > 1 && t->pick == SA_PICK_EXITED && sa_mntns_alive(t->inum, 0) ?
		      best[1] : best[0];
	}
	if (!key || bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.sa_slots), &key, &v))
		return -ENOENT;
	*key_out = key;
	*slot = v.slot;
	return 0;
}

static int map_keys(int fd, uint64_t **keys)
{
	uint64_t key, next, *prev = NULL, *out = NULL, *tmp;
	int n = 0, cap = 0;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			tmp = realloc(out, cap * sizeof(*out));
			if (!tmp) {
				free(out);
				return -ENOMEM;
			}
			out = tmp;
		}
		out[n++] = next;
		key = next;
		prev = &key;
	}
	*keys = out;
	return n;
}

int sa_recorder__keyed_by_id(struct sa_recorder *r)
{
	int fd = bpf_map__fd(r->skel->maps.sa_slots);
	uint64_t key, next, *prev = NULL;
	struct sa_slot v;

	if (r->command_mode)
		return 0;
	/* Ids count up from 1, inode numbers start near 2^32: a slot whose key
	 * is not its inode is keyed by id. */
	while (r->keyed_by_id < 0 && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &v))
			r->keyed_by_id = key != v.mntns;
	}
	return r->keyed_by_id;
}

int sa_recorder__keys_with_inum(struct sa_recorder *r, uint64_t inum, uint64_t **keys)
{
	int fd = bpf_map__fd(r->skel->maps.sa_slots), n, i, out = 0;
	struct sa_slot v;

	n = map_keys(fd, keys);
	for (i = 0; i < n; i++)
		if (!bpf_map_lookup_elem(fd, &(*keys)[i], &v) && v.mntns == inum)
			(*keys)[out++] = (*keys)[i];
	return n < 0 ? n : out;
}

int sa_recorder__keys(struct sa_recorder *r, uint64_t **keys)
{
	int fd = bpf_map__fd(r->skel->maps.sa_slots), n, i, j, out = 0;
	struct sa_slot v;

	if (r->command_mode) {
		*keys = calloc(1, sizeof(**keys));
		return *keys ? 1 : -ENOMEM;
	}
	/* Namespace ids -> distinct inode numbers. */
	n = map_keys(fd, keys);
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &(*keys)[i], &v))
			continue;
		for (j = 0; j < out && (*keys)[j] != v.mntns; j++)
			;
		if (j == out)
			(*keys)[out++] = v.mntns;
	}
	return n < 0 ? n : out;
}

int sa_recorder__dropped(struct sa_recorder *r, uint64_t **keys)
{
	return map_keys(bpf_map__fd(r->skel->maps.sa_dropped), keys);
}

uint64_t sa_recorder__key_of(struct sa_recorder *r, uint64_t inum, enum sa_pick pick)
{
	struct sa_target t = { .inum = inum, .pick = pick };
	uint64_t key;
	uint32_t slot;

	return sa_recorder__slot_of(r, &t, &key, &slot) ? 0 : key;
}
