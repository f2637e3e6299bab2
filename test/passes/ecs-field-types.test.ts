/**
 * ECS field types that change what a match means, said explicitly when a rule leaves ECS: a CIDR
 * value on an ip field is the range (a `cidr` node); a value on an analysed text field is matched
 * as a case-insensitive contains, with a warning naming the difference.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Query } from "../../src/ir/query.js";
import { ecsFieldTypes, ecsLiteralsTyped, ipFieldsTyped } from "../../src/passes/ecs-field-types.js";

const ipRangesAsCidr = (q: Query): Query => ecsFieldTypes(q).query;
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

test("a value on an analysed text field is a case-insensitive contains, with one warning per field", () => {
  const r = ecsFieldTypes(kql('powershell.file.script_block_text:("Add-Win32Type" or "psenum") and process.name:pwsh.exe and message:*boom'));
  assert.ok(hit(r.query, { powershell: { file: { script_block_text: "x = add-win32type -Name y" } }, process: { name: "pwsh.exe" }, message: "it went BOOM!" }));
  assert.not.ok(hit(r.query, { powershell: { file: { script_block_text: "x" } }, process: { name: "pwsh.exe" }, message: "boom" }));
  assert.not.ok(hit(r.query, { powershell: { file: { script_block_text: "psenum" } }, process: { name: "PWSH.EXE" }, message: "boom" }), "keyword fields keep exact matching");
  assert.equal(r.problems.map((p) => [p.severity, p.code, p.field]), [
    ["warning", "mapping/text-field", "powershell.file.script_block_text"],
    ["warning", "mapping/text-field", "message"],
  ]);
  assert.equal(ecsFieldTypes(kql("process.command_line.text:foo")).problems.length, 1, "a .text multi-field is analysed");
  assert.equal(ecsFieldTypes(kql("process.command_line:foo")).problems, [], "the wildcard-typed field itself is not");
});

test("entering ECS: an exact address on an ip field is a one-address block; patterns are refused; a block on keyword text is left to the target", () => {
  const m = (field: string, ...parts: ({ kind: "text"; value: string } | { kind: "any" })[]): Query => ({ kind: "match", field, value: { kind: "string", parts }, caseSensitive: false });
  const t = (value: string) => ({ kind: "text" as const, value });
  const r = ipFieldsTyped({ kind: "or", children: [m("destination.ip", t("10.1.2.3")), m("source.ip", t("::1")), m("host.name", t("10.1.2.3"))] });
  assert.equal(r.problems, []);
  assert.ok(hit(r.query, { destination: { ip: "10.1.2.3" } }));
  assert.not.ok(hit(r.query, { destination: { ip: "10.1.2.30" } }));
  assert.ok(r.query.kind === "or" && r.query.children[0]!.kind === "cidr" && r.query.children[1]!.kind === "cidr" && r.query.children[2]!.kind === "match");
  assert.equal(ipFieldsTyped(m("destination.ip", t("10."), { kind: "any" })).problems.map((p) => p.code), ["mapping/ip-pattern"]);
  // ES|QL can read the text as an address; EQL and KQL cannot (test/targets/elastic-cidr-on-text.test.ts).
  const onText = ipFieldsTyped({ kind: "cidr", field: "winlog.event_data.IpAddress", cidr: "10.0.0.0/8" });
  assert.equal(onText.problems, []);
  assert.equal(onText.query, { kind: "cidr", field: "winlog.event_data.IpAddress", cidr: "10.0.0.0/8" });
  assert.equal(ipFieldsTyped({ kind: "cidr", field: "source.ip", cidr: "10.0.0.0/8" }).problems, []);
  assert.equal(ipFieldsTyped({ kind: "regex", field: "source.ip", pattern: "10\\..*", dialect: "pcre", caseSensitive: true }).problems.map((p) => p.code), ["mapping/ip-pattern"]);
});

test("a pass that changes no part of a subtree hands that subtree on as it is (the passes run on every rule)", () => {
  const q = kql('process.name:"cmd.exe" and not (user.name:bob or event.code:4624)');
  assert.is(ecsLiteralsTyped(q), q, "nothing to type: the same query");
  assert.is(ipFieldsTyped(q).query, q);
  // A changed leaf copies the nodes above it only; untouched siblings are shared.
  const mixed = kql('(process.name:"cmd.exe" or user.name:bob) and process.pid:"42"');
  const typed = ecsLiteralsTyped(mixed);
  assert.is.not(typed, mixed);
  if (typed.kind !== "and" || mixed.kind !== "and") throw new Error("an and");
  assert.is(typed.children[0], mixed.children[0]);
  assert.equal(typed.children[1], { ...mixed.children[1], value: { kind: "number", value: 42, raw: "42" } });
});

test.run();
