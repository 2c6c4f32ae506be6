#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Run one command as root on another kernel: boot KDIR (what fetch.sh made)
# under qemu with this machine's own root filesystem, read-only over
# virtio-9p with a tmpfs overlay on top, so the guest has the same binaries,
# build tree and test fixtures, and everything it writes is gone at power-off.
# The command runs in the current directory (it must exist on the host).
#
# usage: boot.sh KDIR 'COMMAND' [OUTDIR]
# Prints the command's output (stdout and stderr together) and exits with its
# status: 124 when the command or the guest ran out of time, 125 when the
# guest gave no status (did not boot, crashed). OUTDIR (default: a fresh
# directory under $IGK_DIR/runs, removed on success) keeps console.log (the
# serial console: kernel messages at warning level and above, and the boot
# markers), dmesg (the guest's whole kernel log at the end) and output.
#
# Environment: IGK_DIR (/tmp/ig-kernels), IGK_TCG_THREAD (single; see below),
# IGK_TIMEOUT (seconds for the whole
# guest, default 900), IGK_MEM (2G), IGK_SMP (2), IGK_CONSOLE=1 to copy the
# console to stderr as it comes, IGK_APPEND: more kernel command-line words
# (loglevel=7 puts every kernel message, call traces too, on the console).
set -uo pipefail

IGK_DIR=${IGK_DIR:-/tmp/ig-kernels}
IGK_TIMEOUT=${IGK_TIMEOUT:-900}
IGK_MEM=${IGK_MEM:-2G}
IGK_SMP=${IGK_SMP:-2}
INITRD_REV=1	# bump when init below changes

die() { echo "boot-kernel: $*" >&2; exit 2; }

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 KDIR 'COMMAND' [OUTDIR]"
kdir=$(cd "$1" 2>/dev/null && pwd) || die "$1: no such kernel directory (run fetch.sh)"
cmd=$2
rel=$(cat "$kdir/release" 2>/dev/null) || die "$kdir/release is missing (run fetch.sh)"
[ -f "$kdir/vmlinuz" ] || die "$kdir/vmlinuz is missing (run fetch.sh)"
for t in qemu-system-x86_64 modprobe cpio gzip xz zstd busybox; do
	command -v $t >/dev/null || die "$t is missing (make deps installs it)"
done

# ---------------------------------------------------------------- initramfs
# busybox, the modules that reach the host's root (virtio PCI, 9p, overlay)
# decompressed in load order, and an init that mounts it and switches to it.
initrd=$kdir/initrd-r$INITRD_REV.cpio.gz
make_initrd() {
	local t m line path base
	t=$(mktemp -d)
	mkdir -p "$t"/{bin,mods,proc,sys,dev,lower,upper,root}
	cp "$(command -v busybox)" "$t/bin/busybox"
	file -L "$t/bin/busybox" | grep -q 'statically linked' ||
		{ echo "boot-kernel: busybox is not static (make deps installs busybox-static)" >&2; return 1; }
	: > "$t/mods/order"
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		modprobe -d "$kdir" -S "$rel" --show-depends "$m"
	done | while read -r line path; do
		[ "$line" = insmod ] || continue
		base=$(basename "$path")
		base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
		grep -qx "$base" "$t/mods/order" && continue
		case $path in
		*.xz) xz -dc "$path" ;;
		*.zst) zstd -qdc "$path" ;;
		*.gz) gzip -dc "$path" ;;
		*) cat "$path" ;;
		esac > "$t/mods/$base"
		echo "$base" >> "$t/mods/order"
	done
	cat > "$t/init" <<'INIT'
#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
for m in $($B cat /mods/order); do $B insmod /mods/$m; done
fail() { echo "IGK-INIT-FAIL: $*"; echo o > /proc/sysrq-trigger; $B sleep 10; }
$B mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose host /lower ||
	fail "mount the host root"
$B mount -t tmpfs -o mode=0755 tmpfs /upper
$B mkdir -p /upper/u /upper/w
$B mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w overlay /root ||
	fail "mount the overlay"
$B mkdir -p /root/igk
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /root/igk || fail "mount out"
$B umount /proc /sys /dev
exec $B switch_root /root /bin/bash /igk/stage2
INIT
	chmod 755 "$t/init"
	(cd "$t" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp" &&
		mv "$initrd.tmp" "$initrd"
	local rc=$?
	rm -rf "$t"
	return $rc
}
[ -s "$initrd" ] || make_initrd || die "cannot build the initramfs"

# ---------------------------------------------------------------- the run
if [ $# -eq 3 ]; then
	out=$3
	mkdir -p "$out" || die "cannot create $out"
	keep=1
else
	mkdir -p "$IGK_DIR/runs"
	out=$(mktemp -d "$IGK_DIR/runs/$(basename "$kdir")-XXXXXX")
	keep=0
fi
rm -f "$out"/{output,rc,dmesg,console.log}
printf '%s\n' "$cmd" > "$out/cmd.sh"
# the command gets the guest's time minus what it needs to report back
printf 'IGK_CWD=%q\nIGK_REL=%q\nIGK_KDIR=%q\nIGK_CMD_TIMEOUT=%q\n' "$PWD" "$rel" "$kdir" \
	$((IGK_TIMEOUT > 120 ? IGK_TIMEOUT - 60 : IGK_TIMEOUT / 2)) > "$out/env"
cat > "$out/stage2" <<'STAGE2'
# in the guest, on the overlay: the usual mounts, then the command
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -sf /proc/self/fd /dev/fd
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/lock /run/netns
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
mount -t bpf -o mode=0700 bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
mount -t securityfs securityfs /sys/kernel/security
. /igk/env
if [ -d "$IGK_KDIR/lib/modules/$IGK_REL" ]; then	# modprobe in the guest
	mkdir -p "/lib/modules/$IGK_REL"
	mount --bind "$IGK_KDIR/lib/modules/$IGK_REL" "/lib/modules/$IGK_REL"
fi
# /tmp of its own, as on most machines: an overlay (the root here) cannot be
# the upper layer of another overlay, and overlayfs runs file operations
# with the mounter's credentials, which capability checks would show.
# A tree checked out below /tmp (CI's clone may be) stays reachable: its
# overlay directory is bound back over the new /tmp.
case "$IGK_CWD" in /tmp/*) mkdir -p /run/igk-cwd && mount --bind "$IGK_CWD" /run/igk-cwd ;; esac
mount -t tmpfs -o mode=1777 tmpfs /tmp
case "$IGK_CWD" in /tmp/*) mkdir -p "$IGK_CWD" && mount --bind /run/igk-cwd "$IGK_CWD" ;; esac
hostname igk-guest
ip link set lo up
echo "IGK-READY $(uname -r) $(cut -d" " -f1 /proc/uptime)" > /dev/console
cd "$IGK_CWD" && timeout -k 10 "$IGK_CMD_TIMEOUT" bash /igk/cmd.sh < /dev/null > /igk/output 2>&1
echo $? > /igk/rc
dmesg > /igk/dmesg
sync
echo "IGK-DONE rc=$(cat /igk/rc) $(cut -d" " -f1 /proc/uptime)" > /dev/console
echo o > /proc/sysrq-trigger
sleep 30
STAGE2

# loglevel=4: only warnings and worse on the serial console (a flood of audit
# notices through an emulated UART slows the guest to a crawl); the whole log
# comes back as dmesg. panic_on_warn stays off so that a warning is reported
# with the rest of the run. tsc=reliable: 5.10 and 6.1 find the two emulated
# CPUs' TSCs unsynchronised and fall back to the HPET, whose every read is an
# emulated device access and which the vDSO cannot use: each clock_gettime()
# became a syscall, and the tests ran ~30 times slower than on the host.
#
# thread=single: one host thread runs both vCPUs in turn. With a thread per
# vCPU (thread=multi) both vCPUs of a 5.10 or 6.1 guest stopped for good on
# the 5-byte nop of a jump label in syscall_exit_to_user_mode(), the
# "soft lockup" of tests/kernel/seccomp-audit's busy workload (two runs in
# three): ig detaching its sys_exit program patches that site while the
# workload's threads run through it on the other vCPU, and qemu's
# multi-threaded TCG never let them past it (a stuck RIP on a nop, seen with
# loglevel=7). With thread=single: 0 in 6 runs, and no slower on this
# two-core machine.
qemu=(qemu-system-x86_64 -accel tcg,thread=${IGK_TCG_THREAD:-single} -cpu max -m "$IGK_MEM" -smp "$IGK_SMP"
	-display none -monitor none -serial stdio -no-reboot -nic none
	-kernel "$kdir/vmlinuz" -initrd "$initrd"
	-append "console=ttyS0 loglevel=4 panic=-1 mitigations=off tsc=reliable clocksource=tsc ${IGK_APPEND:-}"
	-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=out,security_model=none")
if [ "${IGK_CONSOLE:-0}" = 1 ]; then
	timeout -k 10 "$IGK_TIMEOUT" "${qemu[@]}" < /dev/null 2>&1 | tee "$out/console.log" >&2
	qrc=${PIPESTATUS[0]}
else
	timeout -k 10 "$IGK_TIMEOUT" "${qemu[@]}" < /dev/null > "$out/console.log" 2>&1
	qrc=$?
fi

[ -f "$out/output" ] && cat "$out/output"
if [ -s "$out/rc" ]; then
	rc=$(cat "$out/rc")
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "boot-kernel: the $rel guest ran past ${IGK_TIMEOUT}s; console: $out/console.log" >&2
	rc=124
	keep=1
else
	echo "boot-kernel: the $rel guest gave no status (qemu exit $qrc); console: $out/console.log" >&2
	rc=125
	keep=1
fi
[ "$keep" = 1 ] || rm -rf "$out"
exit "$rc"
