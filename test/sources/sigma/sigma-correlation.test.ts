import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSigmaFile } from "../../../src/sources/sigma/index.js";
import { noSpans } from "./sigma-helpers.js";

const BASE = `title: Failed logon
id: 0e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
logsource: {product: windows, service: security}
detection:
    sel: {EventID: 4625}
    condition: sel
---
title: Successful logon
id: 4d0a2c83-c62c-4ed4-b475-c7260a4f6f4f
name: success_logon
logsource: {product: windows, service: security}
detection:
    sel: {EventID: 4624}
    condition: sel
`;

test("event_count linked by name in the same file; base rules kept with sigma.generate", () => {
  const text = `${BASE}---
title: Many failed logons
id: 2d2c4e6b-7f2d-4b15-9b5f-1b0c6c7c8a11
level: high
correlation:
    type: event_count
    rules:
        - failed_logon
    group-by:
        - TargetUserName
    timespan: 10m
    condition:
        gte: 10
`;
  const r = readSigmaFile("c.yml", text);
  assert.equal(r.diagnostics.filter((d) => d.severity !== "info"), []);
  assert.equal(r.rules.map((x) => x.name), ["Failed logon", "Successful logon", "Many failed logons"]);
  assert.is(r.rules[0]?.custom["sigma.generate"], false);
  assert.is(r.rules[1]?.custom["sigma.generate"], undefined);
  const corr = r.rules[2];
  assert.equal(noSpans(corr?.query), {
    kind: "correlation",
    type: "event_count",
    rules: [
      {
        name: "failed_logon",
        query: { kind: "match", field: "EventID", value: { kind: "number", value: 4625, raw: "4625" }, caseSensitive: false },
        logsource: { product: "windows", service: "security" },
      },
    ],
    groupBy: ["TargetUserName"],
    timespan: { value: 10, unit: "m" },
    condition: [{ op: "gte", value: 10 }],
  });
  assert.is(corr?.queryText.startsWith("type: event_count"), true);
  assert.is(corr?.source.line, 17);
});

test("temporal_ordered with aliases, generate: true, rules referenced before definition", () => {
  const text = `title: Brute force then success
id: 6e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
generate: true
correlation:
    type: temporal_ordered
    rules: [failed_logon, 4d0a2c83-c62c-4ed4-b475-c7260a4f6f4f]
    group-by: [user]
    aliases:
        user:
            failed_logon: TargetUserName
            success_logon: SubjectUserName
    timespan: 1h
---
${BASE}`;
  const r = readSigmaFile("c.yml", text);
  assert.equal(r.diagnostics.filter((d) => d.severity !== "info"), []);
  const corr = r.rules[0];
  assert.is(corr?.query.kind, "correlation");
  if (corr?.query.kind !== "correlation") return;
  assert.is(corr.query.type, "temporal_ordered");
  assert.equal(corr.query.groupBy, ["user"]);
  assert.equal(corr.query.rules.map((x) => x.aliases), [{ user: "TargetUserName" }, { user: "SubjectUserName" }]);
  assert.equal(corr.query.condition, [{ op: "gte", value: 2 }]);
  assert.is(r.rules[1]?.custom["sigma.generate"], undefined);
  assert.is(corr.custom["generate"], true);
});

test("value_count takes condition.field; knownRules resolve references from other files", () => {
  const base = readSigmaFile("b.yml", BASE).rules;
  const known = new Map(base.flatMap((x) => [[x.id, x] as const, [String(x.custom["name"]), x] as const]));
  const text = `title: Many users
id: 7e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
correlation:
    type: value_count
    rules: success_logon
    group-by: [IpAddress]
    timespan: 5m
    condition: {gt: 3, lte: 100, field: TargetUserName}
`;
  const r = readSigmaFile("c.yml", text, { knownRules: known });
  const q = r.rules[0]?.query;
  assert.is(q?.kind, "correlation");
  if (q?.kind !== "correlation") return;
  assert.is(q.valueField, "TargetUserName");
  assert.equal(q.condition, [{ op: "gt", value: 3 }, { op: "lte", value: 100 }]);
});

test("value_sum and value_avg (Sigma 2.1) take condition.field; value_percentile is refused by name", () => {
  const doc = (type: string, condition: string) => `${BASE}---
title: Sized
id: 6e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
correlation:
    type: ${type}
    rules: [failed_logon]
    group-by: [IpAddress]
    timespan: 1h
    condition: ${condition}
`;
  for (const type of ["value_sum", "value_avg"]) {
    const q = readSigmaFile("c.yml", doc(type, "{gte: 1000, field: Bytes}")).rules.find((r) => r.name === "Sized")?.query;
    assert.ok(q?.kind === "correlation" && q.type === type && q.valueField === "Bytes", type);
  }
  const errors = (type: string, condition: string) =>
    readSigmaFile("c.yml", doc(type, condition)).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  assert.equal(errors("value_sum", "{gte: 1000}"), ["sigma/invalid-correlation: value_sum needs `condition.field`"]);
  const [percentile] = errors("value_percentile", "{gte: 95, field: Bytes}");
  assert.match(percentile ?? "", /^sigma\/unsupported-correlation-type: .*no percentile rank/);
});

test("a correlation of a correlation is refused once, at the reference, and the inner one still converts", () => {
  const text = `${BASE}---
title: Burst
id: 5e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
name: burst
correlation: {type: event_count, rules: [failed_logon], group-by: [TargetUserName], timespan: 5m, condition: {gte: 10}}
---
title: Chain
id: 5e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5c
correlation:
    type: value_count
    rules: [failed_logon, burst]
    group-by: [IpAddress]
    timespan: 1h
    condition: {gte: 3, field: TargetUserName}
`;
  const r = readSigmaFile("c.yml", text);
  assert.equal(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code}`), ["26:27 sigma/chained-correlation"]);
  assert.ok(r.rules.some((x) => x.name === "Burst"));
  assert.not.ok(r.rules.some((x) => x.name === "Chain"));
});

test("bad correlation values are refused by name: no or a zero timespan, a list of fields, an infinite count", () => {
  const doc = (timespan: string, condition: string) => `${BASE}---
title: Odd
id: 6e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5d
correlation: {type: value_count, rules: [failed_logon], group-by: [IpAddress], timespan: ${timespan}, condition: ${condition}}
`;
  const errors = (timespan: string, condition: string) =>
    readSigmaFile("c.yml", doc(timespan, condition)).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  assert.equal(errors("0s", "{gte: 2, field: User}"), ["`timespan`: `0s` is zero: nothing would run or be searched"]);
  assert.equal(errors("5 minutes", "{gte: 2, field: User}"), ["`timespan` must look like 30s, 5m, 1h or 2d, above zero"]);
  assert.equal(errors("5m", "{gte: 2, field: [User, Host]}"), ["`condition.field` must be one field name (a list of fields is not converted)"]);
  assert.equal(errors("5m", "{gte: 1e400, field: User}"), ["condition `gte` is not one of gt, gte, lt, lte, eq, neq with a finite number, or `field`"]);
  assert.equal(errors("5m", "{gte: 2, field: User}"), []);
  const untimed = readSigmaFile("c.yml", doc("5m", "{gte: 2, field: User}").replace("timespan: 5m, ", ""));
  assert.equal(untimed.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), ["the correlation has no `timespan`, which the Sigma specification requires"]);
});

test("an unresolved reference fails that correlation only", () => {
  const text = `${BASE}---
title: Broken
id: 8e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
correlation:
    type: event_count
    rules: [nope]
    group-by: [x]
    timespan: 5m
    condition: {gte: 2}
`;
  const r = readSigmaFile("c.yml", text);
  assert.equal(r.rules.map((x) => x.name), ["Failed logon", "Successful logon"]);
  const e = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(e.map((d) => `${d.line}:${d.col} ${d.code} ${d.ruleId}`), ["21:13 sigma/unresolved-rule-reference 8e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b"]);
});

test("an alias naming a rule outside the correlation is an error", () => {
  const text = `title: Bad alias
id: 9e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b
correlation:
    type: temporal
    rules: [failed_logon]
    group-by: [user]
    aliases:
        user:
            other_rule: X
    timespan: 5m
---
${BASE}`;
  const r = readSigmaFile("c.yml", text);
  assert.equal(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code}`), ["9:13 sigma/invalid-alias"]);
});

test.run();
