// SPDX-License-Identifier: Apache-2.0
/*
 * The out-of-tree story end to end: `make install DESTDIR=... PREFIX=/usr`,
 * build examples/hello-gadget against the installed headers through
 * pkg-config, and run it with the installed ig via --gadget-path.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

/* The source tree: the current directory under `make test`, else the
 * parent of the build dir. */
static const char *src_dir(void)
{
	static char dir[PATH_MAX];
	char probe[PATH_MAX + 64];

	if (getcwd(dir, sizeof(dir))) {
		snprintf(probe, sizeof(probe), "%s/include/ig/gadget.h", dir);
		if (!access(probe, R_OK))
			return dir;
	}
	snprintf(dir, sizeof(dir), "%s/..", igt_build_dir());
	snprintf(probe, sizeof(probe), "%s/include/ig/gadget.h", dir);
	cr_assert_eq(access(probe, R_OK), 0, "cannot find the source tree (cwd or %s)", dir);
	return dir;
}

Test(install, out_of_tree_gadget_builds_and_runs, .timeout = 240)
{
	char tmp[64] = "/tmp/igt-install-XXXXXX", dest[128], build[PATH_MAX + 8];
	char pcpath[256], ex[128], cp[PATH_MAX + 300], ig[160], so[160], dst[160];
	struct igt_result *r;
	char *hooks;
	size_t len;

	cr_assert_not_null(mkdtemp(tmp));
	snprintf(dest, sizeof(dest), "DESTDIR=%s/root", tmp);
	snprintf(build, sizeof(build), "BUILD=%s", igt_build_dir());
	/* A make started by `make test` must not inherit its jobserver. */
	r = igt_run((const char *const[]){ "env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u",
		"MAKELEVEL", "make", "--no-print-directory", "-C", src_dir(), build, dest,
		"PREFIX=/usr", "install", NULL }, 180000);
	cr_assert_eq(r->status, 0, "make install failed:\n%s\n%s", r->out, r->err);
	igt_result_free(r);

	snprintf(ig, sizeof(ig), "%s/root/usr/bin/ig", tmp);
	snprintf(so, sizeof(so), "%s/root/usr/include/ig/gadget.h", tmp);
	cr_assert_eq(access(ig, X_OK), 0, "ig not installed at %s", ig);
	cr_assert_eq(access(so, R_OK), 0, "headers not installed at %s", so);
	snprintf(so, sizeof(so), "%s/root/usr/lib/ig/gadgets/trace-exec.so", tmp);
	cr_assert_eq(access(so, R_OK), 0, "gadgets not installed under lib/ig: %s", so);
	/* The hook wiring: the oci-hooks(5) file where podman and CRI-O look
	 * for a /usr install, pointing at the installed ig; the runc wrapper. */
	snprintf(so, sizeof(so), "%s/root/usr/share/containers/oci/hooks.d/ig.json", tmp);
	hooks = igt_read_file(so, &len);
	cr_assert_not_null(hooks, "no hooks.d file at %s", so);
	cr_assert(strstr(hooks, "\"path\": \"/usr/bin/ig\"") &&
		  strstr(hooks, "\"createRuntime\""), "%s", hooks);
	free(hooks);
	snprintf(so, sizeof(so), "%s/root/usr/libexec/ig/ig-runc", tmp);
	cr_assert_eq(access(so, X_OK), 0, "no runc wrapper at %s", so);

	/* Build the example from a copy, as a user would, outside the tree. */
	snprintf(ex, sizeof(ex), "%s/hello", tmp);
	snprintf(cp, sizeof(cp), "cp -r '%s/examples/hello-gadget' '%s'", src_dir(), ex);
	cr_assert_eq(system(cp), 0);
	snprintf(pcpath, sizeof(pcpath), "PKG_CONFIG_PATH=%s/root/usr/lib/pkgconfig", tmp);
	r = igt_run((const char *const[]){ "env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u",
		"MAKELEVEL", pcpath, "make", "-C", ex,
		/* the .pc says prefix=/usr; --define-prefix relocates it into DESTDIR */
		"PKG_CONFIG=pkg-config --define-prefix", NULL }, 60000);
	cr_assert_eq(r->status, 0, "example build failed:\n%s\n%s", r->out, r->err);
	cr_assert(strstr(r->out, "/root/usr/include"), "compiled against DESTDIR headers:\n%s",
		  r->out);
	igt_result_free(r);

	/* The installed ig, the example through --gadget-path. */
	r = igt_run((const char *const[]){ ig, "run", "--gadget-path", ex, "hello",
		"--greeting", "hi there", "-o", "json", "--", "/bin/true", NULL }, 30000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "\"greeting\":\"hi there\""), "%s", r->out);
	cr_assert(strstr(r->out, "\"target\":\"command\""), "%s", r->out);
	igt_result_free(r);

	/* The installed ig finds the installed gadgets (relative to itself). */
	r = igt_run((const char *const[]){ ig, "list", NULL }, 30000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	snprintf(dst, sizeof(dst), "%s/root/usr/bin/../lib/ig/gadgets/trace-exec.so", tmp);
	cr_assert(strstr(r->out, dst), "%s", r->out);
	igt_result_free(r);

	/* ... and the installed runtime plugins (relative to itself too). Given
	 * a state root that does not exist, the plugin says so at -vv whatever
	 * runtimes the machine has (its default roots may all exist). */
	snprintf(dst, sizeof(dst), "%s/no-such-root", tmp);
	r = igt_run((const char *const[]){ ig, "list-containers", "-vv", "--runtime-root", dst,
		NULL }, 30000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_null(strstr(r->err, "no runtime plugin found"), "%s", r->err);
	cr_assert(strstr(r->err, "runc: ") && strstr(r->err, "no-such-root does not exist"),
		  "the runc plugin did not load:\n%s", r->err);
	igt_result_free(r);

	snprintf(cp, sizeof(cp), "rm -rf '%s'", tmp);
	cr_assert_eq(system(cp), 0);
}
