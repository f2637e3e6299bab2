/**
 * A CIDR value on an ECS ip field means the range (Elasticsearch terms on ip fields); leaving ECS,
 * it becomes a `cidr` node, so Sigma and Splunk match the range and not the literal text.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { ipRangesAsCidr } from "../../src/passes/ecs-ip-ranges.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";

const kql = (text: string): Query => {
  const r = parseKql(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const hit = (q: Query, e: Record<string, unknown>) => {
  const v = evaluate(q, e);
  return v.ok && v.matched;
};

test("CIDR text on an ECS ip field becomes a range, under not and in lists too", () => {
  const q = ipRangesAsCidr(kql("source.ip:(10.0.0.0/8 or \"fe80::/10\") and not destination.ip:192.168.0.0/16"));
  assert.ok(hit(q, { source: { ip: "10.1.2.3" }, destination: { ip: "8.8.8.8" } }));
  assert.ok(hit(q, { source: { ip: "fe80::1" }, destination: { ip: "8.8.8.8" } }));
  assert.not.ok(hit(q, { source: { ip: "10.1.2.3" }, destination: { ip: "192.168.1.1" } }));
  assert.not.ok(hit(q, { source: { ip: "11.0.0.1" }, destination: { ip: "8.8.8.8" } }));
});

test("left as text: other fields, plain addresses, wildcards, quoted-looking values that are not CIDR", () => {
  for (const text of ["url.path:10.0.0.0/8", "source.ip:10.1.2.3", "source.ip:10.0.*", "source.ip:abc/8"]) {
    const q = kql(text);
    assert.equal(ipRangesAsCidr(q), q, text);
  }
});

test("inside sequences and correlations", () => {
  const inner = kql("source.ip:10.0.0.0/8");
  const seq: Query = { kind: "sequence", by: ["host.id"], steps: [{ query: inner, by: [] }] };
  const out = ipRangesAsCidr(seq);
  assert.ok(out.kind === "sequence" && out.steps[0]!.query.kind === "cidr");
});

test.run();
