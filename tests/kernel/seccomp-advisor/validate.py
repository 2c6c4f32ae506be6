#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validate a seccomp-advisor document against the reference schemas.

usage: validate.py oci|spo FILE      (tests/schema/refschemas.py says where
the schemas are)
oci: FILE is an OCI linux.seccomp object, checked against config-linux.json.
spo: FILE is a SeccompProfile (JSON or YAML), checked against the CRD's
     openAPIV3Schema of its apiVersion.
"""
import json
import os
import sys

import jsonschema
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema"))
import refschemas  # noqa: E402


def oci(doc):
    base = refschemas.oci_dir()
    with open(os.path.join(base, "config-linux.json")) as f:
        linux = json.load(f)
    seccomp = linux["linux"]["properties"]["seccomp"]
    resolver = jsonschema.RefResolver("file://" + base + "/config-linux.json", linux)
    jsonschema.validate(doc, seccomp, resolver=resolver)


def spo(doc):
    with open(refschemas.SPO_CRD) as f:
        crd = yaml.safe_load(f)
    group, _, version = doc["apiVersion"].partition("/")
    assert group == crd["spec"]["group"], "apiVersion group " + group
    assert doc["kind"] == crd["spec"]["names"]["kind"], "kind " + doc["kind"]
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            jsonschema.validate(doc, v["schema"]["openAPIV3Schema"])
            return
    raise SystemExit("no version %s in the CRD" % version)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("oci", "spo"):
        raise SystemExit("usage: validate.py oci|spo FILE")
    with open(sys.argv[2]) as f:
        doc = yaml.safe_load(f)  # JSON is YAML too
    (oci if sys.argv[1] == "oci" else spo)(doc)
    print("valid")


if __name__ == "__main__":
    main()
