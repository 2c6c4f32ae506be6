// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: lib/seccomp/parse.c lib/seccomp/ynode.c lib/seccomp/profile.c gadgets/seccomp-audit/profile_eval.c
// fuzz-libs: -lyaml -lseccomp
/*
 * seccomp-audit's --profile: a Security Profiles Operator SeccompProfile in
 * YAML, or an OCI profile in JSON (libyaml reads both), parsed
 * (sp_profile__load_text, lib/seccomp) and compiled to the filter it evaluates.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gadgets/seccomp-audit/seccomp_audit_int.h"

FUZZ_TARGET(spo_yaml)
{
	char err[512], *buf = malloc(size + 1);
	struct sp_profile *p;
	struct sau_filter *f;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	p = sp_profile__load_text("fuzz.yaml", buf, size, err, sizeof(err));
	if (p) {
		f = sau_filter_build(p, err, sizeof(err));
		sau_filter_free(f);
		sp_profile__free(p);
	}
	free(buf);
	return 0;
}
