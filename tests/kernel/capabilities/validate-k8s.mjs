#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Validate the securityContext of a capabilities advice document with
// kubernetes-models (tests/schema/node_modules, installed by `make deps`): it
// is put into a Pod's only container and the Pod is validated against the
// Kubernetes OpenAPI schema. Usage: validate-k8s.mjs FILE (the advice, JSON).
// Prints "valid" and exits 0, or the schema errors and exits 1.
import { readFileSync } from "node:fs";
import { Pod } from "../../schema/node_modules/kubernetes-models/v1/Pod.js";

const advice = JSON.parse(readFileSync(process.argv[2], "utf8"));
const sc = advice.securityContext;
if (!sc || !sc.capabilities) {
  console.error("no securityContext.capabilities in the advice");
  process.exit(1);
}
for (const name of [...(sc.capabilities.add || []), ...(sc.capabilities.drop || [])]) {
  if (name.startsWith("CAP_")) {
    console.error(`capability ${name}: Kubernetes names have no CAP_ prefix`);
    process.exit(1);
  }
}
const pod = new Pod({
  metadata: { name: "advised" },
  spec: { containers: [{ name: "workload", image: "busybox", securityContext: sc }] },
});
try {
  pod.validate();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
console.log("valid");
