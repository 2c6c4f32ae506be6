# SPDX-License-Identifier: Apache-2.0
"""Where the reference schemas are (see README.md beside this file): the OCI
runtime-spec schema from a Debian package, the SPO CRD from this directory.
Both paths are fixed, so a test reads nothing outside the repository but
installed packages."""
import os

OCI_PKG = "golang-github-opencontainers-specs-dev"
OCI_DIR = "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema"
SPO_CRD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spo-seccompprofile-crd.yaml")


def oci_dir():
    """The OCI schema directory, or exit with what to install."""
    if not os.path.isfile(os.path.join(OCI_DIR, "config-schema.json")):
        raise SystemExit("%s/config-schema.json is missing: install %s (make deps)"
                         % (OCI_DIR, OCI_PKG))
    return OCI_DIR
