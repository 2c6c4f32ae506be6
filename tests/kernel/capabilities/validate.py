#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validate the "process" object of a capabilities advice document against the
OCI runtime-spec config schema (tests/schema/refschemas.py says where it is).

usage: validate.py FILE
"""
import json
import os
import sys

import warnings

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema"))
import refschemas  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: validate.py FILE")
    base = refschemas.oci_dir()
    with open(os.path.join(base, "config-schema.json")) as f:
        config = json.load(f)
    with open(sys.argv[1]) as f:
        process = json.load(f)
    caps = process.get("capabilities")
    if not isinstance(caps, dict):
        raise SystemExit("no process.capabilities object")
    for name in ("bounding", "effective", "permitted"):
        if name not in caps:
            raise SystemExit("process.capabilities has no " + name)
    schema = config["properties"]["process"]["properties"]["capabilities"]
    resolver = jsonschema.RefResolver("file://" + base + "/config-schema.json", config)
    jsonschema.validate(caps, schema, resolver=resolver)
    print("valid")


if __name__ == "__main__":
    main()
