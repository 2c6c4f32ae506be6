/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Constants that BPF programs and user space both use, defined once. Plain C
 * with no includes, so a .bpf.c (through ig_filter.h), a gadget's user side
 * and the core all take the same values. They are part of the gadget ABI: a
 * gadget's BPF object compares against them, so they never change.
 */
#ifndef IG_CONSTS_H
#define IG_CONSTS_H

/* Values of the BPF knob ig_filter_mode (ig_filter.h); host->filter_mode()
 * says which one a run uses. */
enum ig_filter_mode {
	IG_FILTER_NONE = 0,	/* no filtering */
	IG_FILTER_MNTNS = 1,	/* only tasks whose mntns is in ig_mntns_filter */
	IG_FILTER_PID = 2,	/* only tasks whose tgid is in ig_pid_filter */
};

#endif /* IG_CONSTS_H */
