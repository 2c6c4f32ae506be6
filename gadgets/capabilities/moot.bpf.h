/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * capabilities: checks whose answer cannot change what the syscall does.
 *
 * capset(2) asks for CAP_SETPCAP, audited, on every call (cap_capset() ->
 * cap_inh_is_capped()), but the answer only matters when the new inheritable
 * set is not within the old inheritable and permitted sets: a process
 * dropping its own capabilities (ping keeps CAP_NET_RAW and drops the rest)
 * is granted CAP_SETPCAP on its first capset and refused it on the later
 * ones, and never needed it. Such a check is flagged CAPS_F_MOOT, and the
 * advice leaves it out. The capset arguments are read from the task's user
 * registers and memory (the kernel copied them in just before); when they
 * cannot be read the check counts as it always did.
 */
#ifndef CAPS_MOOT_BPF_H
#define CAPS_MOOT_BPF_H

#define CAPS_CAP_SETPCAP	8
#if defined(__TARGET_ARCH_x86)
#define CAPS_NR_CAPSET		126
#elif defined(__TARGET_ARCH_arm64)
#define CAPS_NR_CAPSET		91
#else
#define CAPS_NR_CAPSET		-2	/* unknown here: nothing is moot */
#endif
#define CAPS_CAP_VERSION_1	0x19980330	/* one 32-bit set; v2 and v3: two */

struct caps_user_data {
	__u32 effective;
	__u32 permitted;
	__u32 inheritable;
};

/* hdr and data are capset()'s two arguments; cred is the checked (old)
 * credentials: cap_inh_is_capped() passes current_cred(). kernel_cap_t is 8
 * bytes either way (u64 since 6.3, two u32 before). */
static __always_inline bool capset_moot_args(__u64 hdr, __u64 data, const struct cred *cred)
{
	struct caps_user_data d[2] = {};
	__u64 inh = 0, perm = 0, want;
	__u32 version = 0;

	if (bpf_probe_read_user(&version, sizeof(version), (void *)hdr) ||
	    bpf_probe_read_user(d, version == CAPS_CAP_VERSION_1 ? sizeof(d[0]) : sizeof(d),
				(void *)data))
		return false;
	bpf_core_read(&inh, sizeof(inh), &cred->cap_inheritable);
	bpf_core_read(&perm, sizeof(perm), &cred->cap_permitted);
	want = d[0].inheritable | (__u64)d[1].inheritable << 32;
	return !(want & ~(inh | perm));
}

static __always_inline bool capset_moot(struct task_struct *task, const struct cred *cred)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	return capset_moot_args(regs->di, regs->si, cred);
}

#endif /* CAPS_MOOT_BPF_H */
