#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the tree promises about its own shape, checked (make lint; make test
# runs it first). One line per problem on stderr, exit 1 if there is any:
#   - no include or call loop between files, no include across the layers
#     (scripts/check-includes.py; docs/architecture.md);
#   - every source, script and document under 500 lines (generated files live
#     in build/ and are not checked);
#   - one licence pair (docs/gadget-authoring.md): the kernel side -- .bpf.c,
#     .bpf.h, the <g>.h a <g>.bpf.c shares with user space, and the BPF-side
#     public headers -- is (GPL-2.0-only OR BSD-2-Clause), and every .bpf.c says
#     "Dual BSD/GPL"; every other .c and .h is Apache-2.0;
#   - tests: a file with Criterion suites is <topic>_test.c and nothing else
#     is; includes name their path from the top of the tree (-I.), never ../.
set -uo pipefail
cd "$(dirname "$0")/.."

MAX_LINES=500
KERNEL_SPDX='SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)'
USER_SPDX='SPDX-License-Identifier: Apache-2.0'
BPF_PUBLIC="include/ig/ig_filter.h include/ig/ig_ringbuf.h include/ig/ig_event.h include/ig/ig_task.h include/ig/consts.h"
DIRS="core lib output gadgets plugins include tests examples scripts docs"
fail=0
say() { echo "lint: $*" >&2; fail=1; }

scripts/check-includes.py || fail=1

# Sizes.
while IFS= read -r -d '' f; do
	n=$(wc -l < "$f")
	[ "$n" -lt "$MAX_LINES" ] || say "$f has $n lines: split it by concern (limit $MAX_LINES)"
done < <(find $DIRS Makefile README.md -path '*/node_modules' -prune -o -type f \
	\( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name '*.mjs' -o -name '*.md' \
	-o -name Makefile \) -print0)

# Licences.
kernel=" $BPF_PUBLIC "
for b in $(find core gadgets -name '*.bpf.c' -o -name '*.bpf.h'); do
	kernel+="$b "
	h=${b%.bpf.c}.h
	if [ "$h" != "$b" ] && [ -f "$h" ] && grep -q "#include \"$(basename "$h")\"" "$b"; then
		kernel+="$h "
	fi
	case $b in
	*.bpf.c) grep -q 'SEC("license") = "Dual BSD/GPL";' "$b" ||
		 say "$b: the licence string must be \"Dual BSD/GPL\" (docs/gadget-authoring.md)";;
	esac
done
while IFS= read -r -d '' f; do
	first=$(head -1 "$f")
	if [[ $kernel == *" $f "* ]]; then
		[[ $first == *"$KERNEL_SPDX"* ]] || say "$f: kernel side, first line must carry '$KERNEL_SPDX'"
	else
		[[ $first == *"$USER_SPDX"* ]] || say "$f: user side, first line must carry '$USER_SPDX'"
	fi
done < <(find core lib output gadgets plugins include tests examples -path '*/node_modules' -prune \
	-o -type f -name '*.[ch]' -print0)

# Tests.
while IFS= read -r -d '' f; do
	case $f in
	*_test.c) grep -q '^Test(' "$f" || say "$f: no Test() in it: a helper is not named *_test.c";;
	*.c) ! grep -q '^Test(' "$f" || say "$f: holds Test()s: name it <topic>_test.c";;
	esac
done < <(find tests -path '*/node_modules' -prune -o -type f -name '*.c' -print0)
grep -rn --include='*.[ch]' --exclude-dir=node_modules '^#include "\.\./' \
	core lib output gadgets plugins include tests examples |
	while IFS= read -r l; do echo "lint: $l: include by path from the top of the tree" >&2; done
grep -rqs --include='*.[ch]' --exclude-dir=node_modules '^#include "\.\./' \
	core lib output gadgets plugins include tests examples && fail=1

exit $fail
