#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Validate NetworkPolicy documents with kubernetes-models (the official
// OpenAPI schema compiled to JSON Schema). Input: files (or stdin with "-")
// holding YAML or JSON, one or more documents ("---" separated, or a JSON
// array of documents, or a stream of JSON objects one per line/value).
// Prints "ok: N NetworkPolicy documents" and exits 0, or names every invalid
// document on stderr and exits 1. Zero documents is an error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";

function documents(text) {
  const out = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) throw new Error(`YAML: ${d.errors[0].message}`);
    const v = d.toJSON();
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

// jsonpretty/json output may be several JSON values back to back: split them.
function jsonStream(text) {
  const out = [];
  let depth = 0, start = -1, inStr = false, esc = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === "\\") esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "{" || c === "[") { if (depth++ === 0) start = i; }
    else if (c === "}" || c === "]") {
      if (--depth === 0) {
        const v = JSON.parse(text.slice(start, i + 1));
        if (Array.isArray(v)) out.push(...v); else out.push(v);
      }
    }
  }
  return out;
}

const args = process.argv.slice(2);
if (!args.length) {
  console.error("usage: validate-netpol.mjs FILE... (or - for stdin)");
  process.exit(2);
}
let docs = [];
for (const f of args) {
  const text = readFileSync(f === "-" ? 0 : f, "utf8");
  const t = text.trimStart();
  docs.push(...(t.startsWith("{") || t.startsWith("[") ? jsonStream(text) : documents(text)));
}
let bad = 0;
docs.forEach((doc, i) => {
  const name = doc?.metadata?.name ?? `#${i}`;
  try {
    if (doc?.apiVersion !== "networking.k8s.io/v1" || doc?.kind !== "NetworkPolicy")
      throw new Error(`not a networking.k8s.io/v1 NetworkPolicy (${doc?.apiVersion} ${doc?.kind})`);
    new NetworkPolicy(doc).validate();
  } catch (e) {
    bad++;
    console.error(`invalid document ${name}: ${e.message}`);
  }
});
if (!docs.length) {
  console.error("no documents found");
  process.exit(1);
}
if (bad) process.exit(1);
console.log(`ok: ${docs.length} NetworkPolicy documents`);
