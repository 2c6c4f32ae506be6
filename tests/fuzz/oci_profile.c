// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: gadgets/seccomp-advisor/profile.c gadgets/seccomp-advisor/document.c gadgets/seccomp-advisor/sysset.c
// fuzz-libs: -ljansson -lseccomp
/*
 * seccomp-advisor's --base-profile: an OCI seccomp profile (or a config.json
 * or SPO document holding one) read by jansson, unioned into a profile
 * (sa_profile__add_oci), then rendered again as an OCI profile.
 */
#include <jansson.h>
#include <seccomp.h>

#include "fuzz.h"
#include "gadgets/seccomp-advisor/seccomp_advisor_int.h"

FUZZ_TARGET(oci_profile)
{
	uint32_t archs[1] = { SCMP_ARCH_X86_64 };
	struct sa_doc_opts o = { .archs = archs, .nr_archs = 1 };
	struct sa_profile *p;
	const char *why = NULL;
	json_t *doc, *out;

	doc = json_loadb((const char *)data, size, 0, NULL);
	if (!doc)
		return 0;
	p = sa_profile__new();
	if (p && !sa_profile__add_oci(p, doc, &why)) {
		out = sa_profile__oci(p, &o);
		json_decref(out);
	}
	sa_profile__free(p);
	json_decref(doc);
	return 0;
}
