#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make check-fresh: ig on machines nobody prepared, so a missing install step
# fails here and not on a user's machine.
#
#  1. A minimal Debian 12 root (mmdebstrap minbase with git and make: what a
#     user who cloned the repository has) gets a `git archive` of HEAD, and the
#     README's two commands run in it as written: `make demo`, `make test`.
#     Then `make deb` there builds the Debian packages.
#  2. A second fresh root installs them with `apt-get install ./ig_*.deb
#     ./ig-dev_*.deb`, runs `ig run seccomp-advisor -- /bin/true` from the
#     installed paths, builds the example gadget shipped in ig-dev against the
#     installed headers with pkg-config and runs it, then removes and purges
#     both packages and checks that none of their files is left.
#
# Only the bare mmdebstrap tarball is cached between runs ($IG_FRESH_CACHE,
# default /tmp/ig-fresh-cache, rebuilt when a week old): every package ig needs
# is installed anew in every run. Each root runs in its own mount namespace
# (unshare) with /proc, /sys (with /sys/fs/bpf and /sys/fs/cgroup) and /dev
# bound from the host, as the kernel tests need. From the host it also gets
# what any machine here has and mmdebstrap does not make: DNS (resolv.conf,
# hosts), the local CA certificates and their environment variables, and a
# policy-rc.d that keeps packages from starting daemons (as on this machine,
# which boots no init system). Logs: build/check-fresh/. IG_FRESH_KEEP=1 keeps
# the roots; IG_FRESH_DEBS=DIR skips part 1 and checks the .debs in DIR (a
# development aid: make check-fresh itself always builds them in part 1).
set -euo pipefail
cd "$(dirname "$0")/.."

suite=bookworm
cache=${IG_FRESH_CACHE:-/tmp/ig-fresh-cache}
bare=$cache/$suite-minbase.tar
logs=build/check-fresh
mirrors=("deb http://deb.debian.org/debian $suite main"
	"deb http://deb.debian.org/debian $suite-updates main"
	"deb http://deb.debian.org/debian-security $suite-security main")

passed=0
die() {
	echo "check-fresh: $*" >&2
	echo "check-fresh: $passed passed, 1 failed"
	exit 1
}
say() { printf 'check-fresh: %s\n' "$*"; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap, mount namespaces, kernel tests): run 'sudo make check-fresh'"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: run 'make deps'"
head=$(git rev-parse --short HEAD 2>/dev/null) ||
	die "needs a git checkout: it checks a git archive of HEAD"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	say "note: uncommitted changes are not checked (the roots get HEAD, $head)"

rm -rf "$logs" && mkdir -p "$logs"
logs=$(realpath "$logs")
work=$(mktemp -d /tmp/ig-fresh.XXXXXX)
start=$SECONDS

# The roots are only removed when nothing is mounted in them any more (the
# mounts live in the namespaces of in_root, which end with its command).
cleanup() {
	if findmnt -rn -o TARGET | grep -q "^$work/"; then
		echo "check-fresh: $work still has mounts; not removing it" >&2
	elif [ "${IG_FRESH_KEEP:-0}" = 1 ]; then
		say "roots kept in $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

bare_root() {
	if [ -f "$bare" ] && [ -z "$(find "$bare" -mtime +7)" ]; then
		say "bare root: $bare (cached)"
		return
	fi
	say "bare root: mmdebstrap $suite minbase + git, make -> $bare"
	mkdir -p "$cache"
	mmdebstrap --quiet --variant=minbase --include=git,make "$suite" "$bare.tmp" \
		"${mirrors[@]}" >"$logs/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$logs/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $logs/mmdebstrap.log)"; }
	mv "$bare.tmp" "$bare"
}

new_root() {
	local r=$1
	mkdir -p "$r"
	tar -xf "$bare" -C "$r"
	cp /etc/resolv.conf "$r/etc/resolv.conf"
	[ ! -f /etc/hosts ] || cp /etc/hosts "$r/etc/hosts"
	if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
		mkdir -p "$r/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/"
	fi
	printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
	chmod 0755 "$r/usr/sbin/policy-rc.d"
}

# The host variables that point tools at the machine's CA bundle or proxy.
pass_env() {
	env | grep -E '^(NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|CURL_CA_BUNDLE|GIT_SSL_CAINFO|(https?|no)_proxy|(HTTPS?|NO)_PROXY)=' || true
}

# in_root ROOT LOG CMD: CMD (a shell command) as root in ROOT, in a new mount
# namespace whose root ROOT is (pivot_root, as on a booted machine: runc and
# unshare -m remount / and read mountinfo, which a chroot gets wrong), with a
# clean environment; output to LOG. Fails with CMD.
in_root() {
	local r=$1 log=$2 cmd=$3 envs rc=0
	mapfile -t envs < <(pass_env)
	unshare --mount --propagation private -- /bin/sh -ec '
		r=$1; shift
		readlink /proc/self/ns/mnt >"$r.ns"
		mount --bind "$r" "$r"
		mount --rbind /proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mountpoint -q "$r/sys/fs/bpf" || mount -t bpf bpf "$r/sys/fs/bpf"
		mount --rbind /dev "$r/dev"
		mount -t tmpfs -o mode=0755 tmpfs "$r/run"
		cd "$r"
		pivot_root . mnt
		umount -l /mnt
		exec "$@"' sh "$r" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${envs[@]}" \
		/bin/bash -ec "$cmd" >>"$log" 2>&1 || rc=$?
	leftovers "$(cat "$r.ns")" || rc=1
	return $rc
}

# Processes still running in mount namespace NS after the command: named,
# ended, a failure.
leftovers() {
	local ns=$1 p found=1
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] || continue
		echo "check-fresh: left running: ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline")" >&2
		kill -KILL "${p#/proc/}" 2>/dev/null || true
		found=0
	done
	[ $found = 1 ]
}

# step LOG NAME ROOT CMD: one timed step, its log's tail on failure.
step() {
	local log=$logs/$1.log name=$2 r=$3 cmd=$4 t=$SECONDS
	say "$name ..."
	if ! in_root "$r" "$log" "$cmd"; then
		tail -30 "$log" >&2
		die "FAILED: $name ($((SECONDS - t)) s; log: $log)"
	fi
	passed=$((passed + 1))
	say "$name: ok ($((SECONDS - t)) s)"
}

bare_root

# ---------------------------------------------------------------- 1: the clone
if [ -n "${IG_FRESH_DEBS:-}" ]; then
	mkdir -p "$logs/debs" && cp "$IG_FRESH_DEBS"/ig_*.deb "$IG_FRESH_DEBS"/ig-dev_*.deb "$logs/debs/"
	say "part 1 skipped: the .debs of $IG_FRESH_DEBS"
else
	src=$work/src
	new_root "$src"
	# --no-same-permissions: modes as a clone by root gets them (git archive
	# writes 0775 directories, and ig refuses gadgets under group-writable ones)
	git archive --format=tar --prefix=ig/ HEAD | tar -x --no-same-permissions -C "$src/root"
	say "root 1: $suite minbase, git archive of $head in /root/ig"
	step demo "make demo" "$src" 'cd /root/ig && make demo'
	step test "make test" "$src" 'cd /root/ig && make test'
	grep -Eq '^[0-9]+ passed, 0 failed$' "$logs/test.log" ||
		die "make test did not close on 'N passed, 0 failed' (log: $logs/test.log)"
	say "make test: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/test.log" | tail -1)"
	step deb "make deb" "$src" 'cd /root/ig && make deb'
	for d in ig ig-dev; do
		compgen -G "$src/root/ig/build/deb/${d}_*.deb" >/dev/null ||
			die "make deb made no ${d}_*.deb"
	done
	mkdir -p "$logs/debs" && cp "$src"/root/ig/build/deb/*.deb "$logs/debs/"
	[ "${IG_FRESH_KEEP:-0}" = 1 ] || rm -rf "$src"
fi

# ---------------------------------------------------------------- 2: the packages
inst=$work/inst
new_root "$inst"
mkdir -p "$inst/tmp/debs" && cp "$logs"/debs/*.deb "$inst/tmp/debs/"
say "root 2: $suite minbase, $(cd "$inst/tmp/debs" && echo *.deb)"
step install "apt-get install ./ig_*.deb ./ig-dev_*.deb" "$inst" \
	'apt-get update -qq && cd /tmp/debs &&
	 DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ./ig_*.deb ./ig-dev_*.deb'
step run "ig run seccomp-advisor -- /bin/true" "$inst" \
	'cd /tmp && test "$(command -v ig)" = /usr/bin/ig && test -f /usr/share/man/man8/ig.8.gz &&
	 ig list | tee list && grep -q " /usr/lib/.*/ig/gadgets/seccomp-advisor.so$" list &&
	 ig list-containers -vv 2>&1 | tee lc && ! grep -q "no runtime plugin" lc &&
	 grep -q "^ig: debug: runc: " lc &&
	 ig run seccomp-advisor -- /bin/true | tee out && grep -q "^command " out'
step hello "hello-gadget with pkg-config" "$inst" \
	'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev pkgconf
	 cp -r /usr/share/doc/ig-dev/examples/hello-gadget /tmp/hello && make -C /tmp/hello &&
	 ig run --gadget-path /tmp/hello hello -o json -- /bin/true | tee out &&
	 grep -q "\"greeting\"" out'
step remove "apt-get remove, dpkg -P" "$inst" \
	'dpkg -L ig ig-dev | sort -u >/tmp/owned
	 DEBIAN_FRONTEND=noninteractive apt-get remove -y ig ig-dev && dpkg -P ig ig-dev
	 ! dpkg -s ig ig-dev 2>/dev/null | grep -q "^Status: .*installed"
	 left=0
	 while read -r f; do
		[ -e "$f" ] && [ "$f" != /. ] || continue
		# a directory stays while other files are in it
		[ -d "$f" ] && [ -n "$(ls -A "$f")" ] && continue
		echo "left behind: $f"; left=1
	 done </tmp/owned
	 [ $left = 0 ] && echo "no file of ig or ig-dev left ($(wc -l </tmp/owned) paths checked)"'
tail -1 "$logs/remove.log"

[ -n "${IG_FRESH_DEBS:-}" ] || say "make demo, make test, make deb passed in a fresh $suite root"
say "the .debs installed, run, built against and removed in another: done in" \
	"$((SECONDS - start)) s"
echo "check-fresh: $passed passed, 0 failed"
