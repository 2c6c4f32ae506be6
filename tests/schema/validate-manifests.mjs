#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Validate the manifests in deploy/ with kubernetes-models (the Kubernetes
// OpenAPI schema compiled to JSON Schema), then check what a DaemonSet running
// `ig run seccomp-advisor` needs to record a node: hostPID, a privileged ig
// container, the host's /sys/fs/bpf, /sys/kernel and /run mounted where ig
// looks, SPO output, and an --output-dir that is a hostPath mount.
//
// usage: validate-manifests.mjs FILE...            prints "ok: N documents"
//        validate-manifests.mjs --command FILE     prints the ig command of
//                                                  its DaemonSet, one arg a line
// Exits 1 naming every problem on stderr.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";

const models = { "v1/Namespace": Namespace, "apps/v1/DaemonSet": DaemonSet };
const problems = [];

function documents(file) {
  const out = [];
  for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (d.errors.length) throw new Error(`${file}: YAML: ${d.errors[0].message}`);
    const v = d.toJSON();
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

// The mount of path in container c whose volume is the host's same path.
function hostMount(spec, c, path) {
  const m = (c.volumeMounts || []).find((vm) => vm.mountPath === path);
  const v = m && (spec.volumes || []).find((vol) => vol.name === m.name);
  return v && v.hostPath ? v.hostPath.path : undefined;
}

function argAfter(cmd, flag) {
  const i = cmd.indexOf(flag);
  return i >= 0 ? cmd[i + 1] : undefined;
}

// What recording on every node needs; returns the ig command.
function checkRecorder(name, ds) {
  const spec = ds.spec.template.spec;
  const c = spec.containers.find((x) => (x.command || [])[0]?.endsWith("/ig"));
  const bad = (what) => problems.push(`DaemonSet ${name}: ${what}`);
  if (!c) return bad("no container runs ig"), undefined;
  const cmd = c.command.concat(c.args || []);
  if (spec.hostPID !== true) bad("hostPID is not true (ig needs the host's pids)");
  if (c.securityContext?.privileged !== true) bad(`container ${c.name} is not privileged`);
  for (const p of ["/sys/fs/bpf", "/sys/kernel", "/run"])
    if (hostMount(spec, c, p) !== p) bad(`the host's ${p} is not mounted at ${p}`);
  if (cmd[1] !== "run" || cmd[2] !== "seccomp-advisor") bad("does not run seccomp-advisor");
  if (argAfter(cmd, "--format") !== "spo") bad("--format is not spo (SeccompProfile)");
  const dir = argAfter(cmd, "--output-dir");
  if (!dir) bad("no --output-dir");
  else if (!hostMount(spec, c, dir)) bad(`--output-dir ${dir} is not a hostPath mount`);
  return cmd;
}

const args = process.argv.slice(2);
const printCommand = args[0] === "--command";
const files = printCommand ? args.slice(1) : args;
if (!files.length) {
  console.error("usage: validate-manifests.mjs [--command] FILE...");
  process.exit(2);
}
let count = 0;
let command;
for (const file of files) {
  for (const doc of documents(file)) {
    const key = `${doc.apiVersion}/${doc.kind}`;
    const name = doc.metadata?.name ?? `#${count}`;
    count++;
    if (!models[key]) {
      problems.push(`${file}: ${name}: no schema for ${key} here (add it to validate-manifests.mjs)`);
      continue;
    }
    try {
      new models[key](doc).validate();
    } catch (e) {
      problems.push(`${file}: ${key} ${name}: ${e.message}`);
      continue;
    }
    if (doc.kind === "DaemonSet") command = checkRecorder(name, doc);
  }
}
if (!count) problems.push("no documents found");
if (printCommand && !command) problems.push("no DaemonSet running ig");
if (problems.length) {
  for (const p of problems) console.error(`invalid: ${p}`);
  process.exit(1);
}
if (printCommand) console.log(command.join("\n"));
else console.log(`ok: ${count} documents`);
