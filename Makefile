# SPDX-License-Identifier: Apache-2.0
#
# One build for ig: the core library and binary, every gadget and plugin as a
# shared object, and the tests. Outputs go to build/. Quiet unless V=1.
#
# Layout conventions the rules below rely on (so adding a gadget, plugin or
# test never needs an edit here):
#   gadgets/<g>/*.bpf.c   -> build/gadgets/<g>/<x>.skel.h (skeleton, embedded)
#   gadgets/<g>/*.c       -> build/gadgets/<g>.so
#   plugins/<p>/...       -> build/plugins/<p>.so (same rules as gadgets)
#   core/<role>/*.c output/*.c -> build/libig.a ; core/cli/main.c -> build/ig
#   lib/<l>/*.c           -> build/libiglib.a: code gadgets and the core share
#                            (linked into ig, every gadget and the tests)
#   core/<role>/*.bpf.c   -> build/core/<role>/<x>.skel.h
#   tests/lib/*.c         -> linked into every test binary
#   tests/unit/<area>/*.c -> build/tests/unit-<area>   (no root)
#   tests/kernel/<area>/*.c -> build/tests/kernel-<area> (root, real BPF)
#   A test area named like a gadget or plugin also links that .so's objects.

.DELETE_ON_ERROR:
# Keep skeletons and BPF objects (intermediates of a chain) between builds.
.SECONDARY:
.SUFFIXES:

PREFIX  ?= /usr/local
# Where podman and CRI-O look for OCI hook files (oci-hooks(5)): the
# distribution's directory for a /usr install, the administrator's otherwise.
HOOKSDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/share/containers/oci/hooks.d,/etc/containers/oci/hooks.d)
# Debian's package sets LIBDIR=/usr/lib/<triplet>; ig looks in $(LIBDIR)/ig.
LIBDIR  ?= $(PREFIX)/lib
IGLIBDIR := $(LIBDIR)/ig
DESTDIR ?=
BUILD   := build
VERSION := 0.1.0

# make ... SANITIZE=1: ig, libig, gadgets, plugins and the tests with
# AddressSanitizer (leaks included) and UndefinedBehaviorSanitizer, any
# finding fatal, in build-san/ so the normal build stays. Workloads linked
# -static (tests/fixtures/static) cannot be sanitized and are not.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
BUILD   := build-san
CFLAGS  ?= -g -O1
override CFLAGS += $(SAN_FLAGS)
# Reports go to files (stderr is often captured by a test): run-tests.sh
# shows them and counts every report as a failure, whoever made it (a test,
# or an ig it started).
SAN_LOGS := $(CURDIR)/build-san/sanitizer
export IG_SANITIZER_LOGS := $(SAN_LOGS)
export ASAN_OPTIONS ?= detect_leaks=1:fast_unwind_on_malloc=0:log_path=$(SAN_LOGS)/asan
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan
endif

CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
ARCH    := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS   ?= -g -O2
ALL_CFLAGS := $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -fPIC -D_GNU_SOURCE -Iinclude -I$(BUILD) \
	-DIG_VERSION=\"$(VERSION)\" -DIG_LIBDIR=\"$(IGLIBDIR)\"
LDLIBS   := -lbpf -lelf -lz -ljansson -lyaml -lseccomp -ldl -lpthread
# clang -target bpf does not search the host's multiarch directory
# (/usr/include/<triplet>, where asm/types.h lives), so a BPF program that
# includes a UAPI header breaks on a machine without a hand-made symlink. Ask
# the host clang for its own system include list and append it with -idirafter
# (after -I, so vmlinux.h and include/ still win). Every .bpf.c gets it.
ifndef BPF_SYS_INCLUDES
BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./{ s| \(/.*\)|-idirafter \1|p }')
endif
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Iinclude -I. -Wall -Werror \
	-Wno-unused-function $(BPF_SYS_INCLUDES)

CORE_SRCS   := $(filter-out core/cli/main.c %.bpf.c,$(wildcard core/*/*.c)) $(wildcard output/*.c)
CORE_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS))
LIB_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/*/*.c))
CORE_BPF    := $(wildcard core/*/*.bpf.c)
CORE_SKELS  := $(patsubst %.bpf.c,$(BUILD)/%.skel.h,$(CORE_BPF))

GADGETS     := $(notdir $(patsubst %/,%,$(dir $(wildcard gadgets/*/*.c))))
GADGETS     := $(sort $(GADGETS))
PLUGINS     := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard plugins/*/*.c)))))

# Per-module object lists: <dir>/<m>/*.c minus *.bpf.c
mod_srcs  = $(filter-out %.bpf.c,$(wildcard $(1)/$(2)/*.c))
mod_objs  = $(patsubst %.c,$(BUILD)/obj/%.o,$(call mod_srcs,$(1),$(2)))
mod_skels = $(patsubst $(1)/$(2)/%.bpf.c,$(BUILD)/$(1)/$(2)/%.skel.h,$(wildcard $(1)/$(2)/*.bpf.c))

# hooks/ (see "OCI hook wiring" below)
HOOK_FILES  := $(BUILD)/ig-runc $(BUILD)/oci-hooks.d/ig.json
GADGET_SOS  := $(patsubst %,$(BUILD)/gadgets/%.so,$(GADGETS))
PLUGIN_SOS  := $(patsubst %,$(BUILD)/plugins/%.so,$(PLUGINS))

TEST_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/lib/*.c))
UNIT_AREAS    := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/unit/*/*.c)))))
KERNEL_AREAS  := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/kernel/*/*.c)))))
UNIT_BINS     := $(patsubst %,$(BUILD)/tests/unit-%,$(UNIT_AREAS))
KERNEL_BINS   := $(patsubst %,$(BUILD)/tests/kernel-%,$(KERNEL_AREAS))
# tests/load/<area>/*.c -> build/tests/load-<area>: kernel tests that take
# minutes (engines under load); `make test-engines`, not `make test`.
LOAD_AREAS    := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/load/*/*.c)))))
LOAD_BINS     := $(patsubst %,$(BUILD)/tests/load-%,$(LOAD_AREAS))
# Test fixtures and helper programs: tests/fixtures/*.c -> build/tests/fixtures/*
FIXTURE_BINS  := $(patsubst tests/fixtures/%.c,$(BUILD)/tests/fixtures/%,$(wildcard tests/fixtures/*.c))
# Static fixtures run inside busybox containers (no libc there):
# tests/fixtures/static/*.c -> build/tests/fixtures/static/* linked -static.
STATIC_FIXTURE_BINS := $(patsubst tests/fixtures/static/%.c,$(BUILD)/tests/fixtures/static/%,\
	$(wildcard tests/fixtures/static/*.c))

.PHONY: all deps demo test test-unit test-kernel test-engines test-kernels bench install clean \
	fmt-check lint check-fresh deb oci-image
all: $(BUILD)/ig $(GADGET_SOS) $(PLUGIN_SOS) $(BUILD)/ig-gadget.pc $(HOOK_FILES)

# ---------------------------------------------------------------- set-up
# make deps: everything any target needs (scripts/deps.txt); each target below
# installs only its own groups, so make demo needs no test tools.
deps:
	$(Q)scripts/deps.sh

# ---------------------------------------------------------------- BPF
$(BUILD)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)if [ ! -r /sys/kernel/btf/vmlinux ]; then \
		echo "ig: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is required)" >&2; exit 1; fi
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

BPF_HDRS := $(wildcard include/ig/*.h)

.SECONDEXPANSION:
$(BUILD)/%.bpf.o: %.bpf.c $(BUILD)/vmlinux.h $(BPF_HDRS) $$(wildcard $$(dir $$*)*.h)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -I$(dir $<) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# ---------------------------------------------------------------- C objects
ALL_SKELS := $(CORE_SKELS) \
	$(foreach g,$(GADGETS),$(call mod_skels,gadgets,$(g))) \
	$(foreach p,$(PLUGINS),$(call mod_skels,plugins,$(p)))

# The skeletons an object may include, built first: its own module's (core/,
# gadgets/<g>/, plugins/<p>/), none for output/, all of them for tests. So a
# gadget whose BPF does not compile does not stop the core or other gadgets.
obj_skels = $(if $(filter core/%,$(1)),$(CORE_SKELS),\
	$(if $(filter gadgets/% plugins/%,$(1)),\
		$(call mod_skels,$(word 1,$(subst /, ,$(1))),$(word 2,$(subst /, ,$(1)))),\
	$(if $(filter tests/%,$(1)),$(ALL_SKELS))))

# Include paths: <ig/...> from include/ for everyone, the object's own
# directory (and its skeletons under build/) for sibling headers; the core and
# the tests also name other headers by their path from the top of the tree
# ("core/engine/ring.h", "output/output.h", "gadgets/<g>/<g>_int.h"), so a
# gadget, a plugin or output/ cannot reach into the core by accident.
obj_incs = $(if $(filter core/% tests/% lib/% gadgets/%,$(1)),-I.)

$(BUILD)/obj/%.o: %.c | $$(call obj_skels,$$*)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -fvisibility=hidden $(call obj_incs,$<) -I$(dir $<) -I$(BUILD)/$(dir $<) \
		-MMD -MP -c $< -o $@

$(BUILD)/libig.a: $(CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libiglib.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ig: $(BUILD)/obj/core/cli/main.o $(BUILD)/libig.a $(BUILD)/libiglib.a core/engine/ig.dynlist
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--dynamic-list=core/engine/ig.dynlist -o $@ \
		$(filter-out %.dynlist,$^) $(LDLIBS)

define module_so
$(BUILD)/$(1)/$(2).so: $(call mod_objs,$(1),$(2)) $(BUILD)/libiglib.a
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -shared -fvisibility=hidden -Wl,--no-undefined -o $$@ \
		$$^ $$(LDLIBS)
endef
$(foreach g,$(GADGETS),$(eval $(call module_so,gadgets,$(g))))
$(foreach p,$(PLUGINS),$(eval $(call module_so,plugins,$(p))))

# ig-gadget.pc, written for the PREFIX given at the time (install rewrites it).
# Cflags' -I$${includedir} serves both sides (#include <ig/ig_filter.h>);
# bpfincludedir (= include/ig) stays for BPF code written as #include "ig_filter.h".
# Paths under PREFIX are written relative to it (pkg-config --define-prefix).
pc_rel = $(if $(filter $(PREFIX)/%,$(1)),$${prefix}$(patsubst $(PREFIX)%,%,$(1)),$(1))
write_pc = printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include' \
		'libdir=$(call pc_rel,$(IGLIBDIR))' 'gadgetdir=$${libdir}/gadgets' \
		'bpfincludedir=$${includedir}/ig' '' 'Name: ig-gadget' \
		'Description: headers for building ig gadgets out of tree' \
		'Version: $(VERSION)' 'Requires: libbpf jansson' \
		'Cflags: -I$${includedir} -fPIC -fvisibility=hidden' \
		'Libs: -shared' > $(1)

$(BUILD)/ig-gadget.pc: Makefile
	$(Q)mkdir -p $(@D)
	$(Q)$(call write_pc,$@)

# ---------------------------------------------------------------- OCI hook wiring
# hooks/: the hooks.d file for podman and CRI-O (ig.json, pointing at the
# build's ig here, at $(PREFIX)/bin/ig when installed) and ig-runc, the runc
# wrapper that adds the hook for Docker and containerd.
$(BUILD)/ig-runc: hooks/ig-runc.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -o $@ $< -ljansson

$(BUILD)/oci-hooks.d/ig.json: hooks/oci-hook.json.in
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@IG@|$(abspath $(BUILD))/ig|' $< > $@

# ---------------------------------------------------------------- tests
CRITERION_LIBS := -lcriterion

# unit-<area>: tests/unit/<area>/*.c + libig.a (+ gadget/plugin objects)
define test_bin
$(BUILD)/tests/$(1)-$(2): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/$(1)/$(2)/*.c)) \
		$(TEST_LIB_OBJS) $(call mod_objs,gadgets,$(2)) $(call mod_objs,plugins,$(2)) $(BUILD)/libig.a \
		$(BUILD)/libiglib.a
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(CFLAGS) -o $$@ $$^ $$(CRITERION_LIBS) $$(LDLIBS)
endef
$(foreach a,$(UNIT_AREAS),$(eval $(call test_bin,unit,$(a))))
$(foreach a,$(KERNEL_AREAS),$(eval $(call test_bin,kernel,$(a))))
# A load area links the kernel area of the same name (its helpers), minus
# that area's own tests.
define load_bin
$(BUILD)/tests/load-$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/load/$(1)/*.c) \
		$(filter-out %_test.c,$(wildcard tests/kernel/$(1)/*.c))) $(TEST_LIB_OBJS) \
		$(BUILD)/libig.a $(BUILD)/libiglib.a
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(CFLAGS) -o $$@ $$^ $$(CRITERION_LIBS) $$(LDLIBS)
endef
$(foreach a,$(LOAD_AREAS),$(eval $(call load_bin,$(a))))

$(BUILD)/tests/fixtures/%: tests/fixtures/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -o $@ $< \
		-lpthread -lseccomp

# More specific than the rule above (shorter stem), so it wins for static/.
$(BUILD)/tests/fixtures/static/%: tests/fixtures/static/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(filter-out $(SAN_FLAGS),$(CFLAGS)) -Wall -Wextra -Werror -D_GNU_SOURCE \
		-Iinclude -static -o $@ $< -l:libseccomp.a -lpthread

# Benchmarks: tests/bench/<x>.c -> build/tests/bench/<x>, linked with libig.a
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/tests/bench/%,$(wildcard tests/bench/*.c))
$(BUILD)/tests/bench/%: tests/bench/%.c $(BUILD)/libig.a $(BUILD)/libiglib.a $(wildcard tests/bench/*.h)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -I. -o $@ $(filter-out %.h,$^) $(LDLIBS)

# Loader fixtures: one .so per ABI-check variant of tests/fixtures/gadgets/fixture.c
FIXTURE_GADGETS := good wrong_major new_minor no_entry null_desc old_minor hostile_text \
	advisor burst huge_counts wild_pointer minor_1_3
FIXTURE_SOS := $(patsubst %,$(BUILD)/tests/fixtures/gadgets/%.so,$(FIXTURE_GADGETS)) \
	$(BUILD)/tests/fixtures/gadgets/ring.so $(BUILD)/tests/fixtures/gadgets/flood.so \
	$(BUILD)/tests/fixtures/gadgets/runs.so
# old_minor: built against the frozen ABI 1.0 header, found before include/'s
$(BUILD)/tests/fixtures/gadgets/old_minor.so: FIXTURE_INC := -Itests/fixtures/gadgets/abi-1.0
$(BUILD)/tests/fixtures/gadgets/old_minor.so: tests/fixtures/gadgets/abi-1.0/ig/gadget.h
$(BUILD)/tests/fixtures/gadgets/advisor.so: FIXTURE_LIBS := -ljansson
# built against the frozen ABI 1.1 header: 1.1 gadgets load on this ig (and on
# an ig of ABI 1.1, which the hostile-input suite is checked against)
HOSTILE_FIXTURES := $(patsubst %,$(BUILD)/tests/fixtures/gadgets/%.so,advisor burst hostile_text \
	huge_counts wild_pointer)
$(HOSTILE_FIXTURES): FIXTURE_INC := -Itests/fixtures/gadgets/abi-1.1
$(HOSTILE_FIXTURES): tests/fixtures/gadgets/abi-1.1/ig/gadget.h
# minor_1_3: built against the frozen ABI 1.3 header (no hook table: ABI 1.4)
$(BUILD)/tests/fixtures/gadgets/minor_1_3.so: FIXTURE_INC := -Itests/fixtures/gadgets/abi-1.3
$(BUILD)/tests/fixtures/gadgets/minor_1_3.so: tests/fixtures/gadgets/abi-1.3/ig/gadget.h
$(BUILD)/tests/fixtures/gadgets/%.so: tests/fixtures/gadgets/fixture.c $(wildcard include/ig/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) $(FIXTURE_INC) -Iinclude -fPIC -shared -fvisibility=hidden \
		-DFIXTURE_$(shell echo $* | tr a-z A-Z) -o $@ $< $(FIXTURE_LIBS)
# fixture-ring (host->ring_drain): raw BPF through libbpf, no skeleton
$(BUILD)/tests/fixtures/gadgets/ring.so: tests/fixtures/gadgets/ring.c \
		tests/fixtures/gadgets/rb_prog.h tests/fixtures/gadgets/fx_ring.h \
		$(wildcard include/ig/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) -Iinclude -fPIC -shared -fvisibility=hidden \
		-o $@ $< -lbpf
# fixture-runs (ABI 1.3: ticks, --runs, end_run, the status text)
$(BUILD)/tests/fixtures/gadgets/runs.so: tests/fixtures/gadgets/runs.c $(wildcard include/ig/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) -Iinclude -fPIC -shared -fvisibility=hidden -o $@ $<
# fixture-flood (bounded drains): a ring kept full by a helper thread
$(BUILD)/tests/fixtures/gadgets/flood.so: tests/fixtures/gadgets/flood.c \
		tests/fixtures/gadgets/rb_prog.h tests/fixtures/gadgets/fx_ring.h \
		$(wildcard include/ig/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(WARN) -Iinclude -fPIC -shared -fvisibility=hidden \
		-o $@ $< -lbpf -lpthread

tests-build: all $(UNIT_BINS) $(KERNEL_BINS) $(LOAD_BINS) $(FIXTURE_BINS) $(FIXTURE_SOS) $(STATIC_FIXTURE_BINS) $(BENCH_BINS)
.PHONY: tests-build

# make test: deps, the tree's own checks, build, then every test binary; unit first.
test:
	$(Q)scripts/deps.sh build test
	$(Q)scripts/lint.sh
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)scripts/run-tests.sh $(UNIT_BINS) -- $(KERNEL_BINS)

# No include or call loop, no include across the layers, files under 500
# lines, one licence pair (scripts/lint.sh says which and why).
lint:
	$(Q)scripts/lint.sh

test-unit: tests-build
	$(Q)scripts/run-tests.sh $(UNIT_BINS) --

test-kernel: tests-build
	$(Q)scripts/run-tests.sh -- $(KERNEL_BINS)

# The engines under load (tests/load/engines): minutes; .ci/run calls it
# after make test.
test-engines:
	$(Q)scripts/deps.sh build test
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)scripts/run-tests.sh -- $(LOAD_BINS)

# Every gadget's kernel tests on Debian's 5.10, 6.1 and 6.12 under qemu, and
# on this machine's kernel: the table of docs/kernels.md (scripts/kernels/).
test-kernels:
	$(Q)scripts/deps.sh build test kernels
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)BUILD=$(BUILD) scripts/kernels/matrix.sh

demo:
	$(Q)scripts/deps.sh build
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) scripts/demo.sh

bench:
	$(Q)scripts/deps.sh build test bench kernels
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)scripts/bench.sh $(BUILD)

# ---------------------------------------------------------------- install
install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(IGLIBDIR)/gadgets \
		$(DESTDIR)$(IGLIBDIR)/plugins $(DESTDIR)$(PREFIX)/include/ig \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man8
	$(Q)install -m 0755 $(BUILD)/ig $(DESTDIR)$(PREFIX)/bin/ig
	$(Q)$(if $(GADGET_SOS),install -m 0755 $(GADGET_SOS) $(DESTDIR)$(IGLIBDIR)/gadgets/)
	$(Q)$(if $(PLUGIN_SOS),install -m 0755 $(PLUGIN_SOS) $(DESTDIR)$(IGLIBDIR)/plugins/)
	$(Q)install -m 0644 include/ig/*.h $(DESTDIR)$(PREFIX)/include/ig/
	$(Q)install -d $(DESTDIR)$(PREFIX)/libexec/ig $(DESTDIR)$(HOOKSDIR)
	$(Q)install -m 0755 $(BUILD)/ig-runc $(DESTDIR)$(PREFIX)/libexec/ig/ig-runc
	$(Q)sed 's|@IG@|$(PREFIX)/bin/ig|' hooks/oci-hook.json.in > $(DESTDIR)$(HOOKSDIR)/ig.json
	$(Q)chmod 0644 $(DESTDIR)$(HOOKSDIR)/ig.json
	$(Q)install -m 0644 docs/ig.8 $(DESTDIR)$(PREFIX)/share/man/man8/ig.8
	$(Q)$(call write_pc,$(DESTDIR)$(LIBDIR)/pkgconfig/ig-gadget.pc)

clean:
	$(Q)rm -rf $(BUILD)

# ---------------------------------------------------------------- fresh machines
# make deb: ig and ig-dev .debs in build/deb/ (debian/, scripts/deb.sh).
# make oci-image: an OCI image of a Debian root with that ig .deb (deploy/).
# make check-fresh: the README's commands in a fresh Debian root, then the
# .debs in another (scripts/check-fresh.sh says what and how).
deb:
	$(Q)scripts/deps.sh build package
	$(Q)scripts/deb.sh $(VERSION)

oci-image: deb
	$(Q)scripts/deps.sh image
	$(Q)scripts/oci-image.sh $(VERSION)

check-fresh:
	$(Q)scripts/deps.sh check
	$(Q)scripts/check-fresh.sh

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- fuzzing
# make fuzz: every tests/fuzz/<t>.c (one per parser of input others write),
# built with clang's libFuzzer, ASan and UBSan into build-fuzz/<t>, runs
# FUZZ_SECONDS (default 60) from its seeds in tests/fuzz/corpus/<t>/ and what
# earlier runs kept (build-fuzz/corpus/<t>/). A crash fails make fuzz and
# leaves its input in build-fuzz/crashes/: fix the parser and copy the input
# to tests/fuzz/regress/<t>/, which make test replays. A target says what it
# links in its first lines (tests/fuzz/fuzz.h): adding one needs no edit here.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard tests/fuzz/*.c))))
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/%,$(FUZZ_TARGETS))
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(WARN) -std=gnu11 -D_GNU_SOURCE -DFUZZ_MAIN -Iinclude -I. -Itests/fuzz
fuzz_meta = $(shell sed -n 's|^// fuzz-$(2): ||p' tests/fuzz/$(1).c)

define fuzz_bin
$(FUZZ_BUILD)/$(1): tests/fuzz/$(1).c tests/fuzz/fuzz.h $(call fuzz_meta,$(1),sources)
	$$(call msg,FUZZ-CC,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CLANG) $$(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^) $(call fuzz_meta,$(1),libs)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_bin,$(t))))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
