/**
 * Windows service account SIDs (issue 19.2): Defend's user.id is the SID, Sysmon's User the account
 * name, which Windows writes in the system's language. The table lists some of those names only, so
 * a mapped match may miss events: `not user.id : "S-1-5-18"` (excluding SYSTEM) becomes an exclusion
 * of the listed names, which widens the rule (warned); a positive match, a pattern, or a
 * case-sensitive match on a spelling Windows never writes keeps ECS names.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigmaFor } from "../../src/mapping/mappings.js";
import { mapFields } from "../../src/passes/map-fields.js";
import { testContext } from "../helpers/convert-fixture.js";

const m = () => ecsToSigmaFor(testContext().mappings, { category: "process_creation", product: "windows" });
const sid = (value: string, caseSensitive = false): Query => ({ kind: "match", field: "user.id", value: { kind: "string", parts: [{ kind: "text", value }] }, caseSensitive });
const codes = (r: { problems: readonly { code: string }[] }) => r.problems.map((p) => p.code);
const user = (value: string): Query => ({ kind: "match", field: "User", value: { kind: "string", parts: [{ kind: "text", value }] }, caseSensitive: false });

test("excluding SYSTEM by SID excludes SYSTEM's names: widened, warned", () => {
  const r = mapFields({ kind: "not", child: sid("S-1-5-18") }, m(), { product: "windows" });
  assert.equal(codes(r), ["mapping/widened"]);
  assert.equal(r.query, { kind: "not", child: { kind: "or", children: ["NT AUTHORITY\\SYSTEM", "AUTORITE NT\\Système", "NT-AUTORITÄT\\SYSTEM", "NT AUTHORITY\\СИСТЕМА"].map(user) } });
  assert.equal(mapFields({ kind: "not", child: sid("S-1-5-20", true) }, m(), { product: "windows" }).query, { kind: "not", child: user("NT AUTHORITY\\NETWORK SERVICE") });
});

test("a positive match, a SID pattern, another category, or a spelling Windows never writes: refused", () => {
  assert.equal(codes(mapFields(sid("S-1-5-18"), m(), { product: "windows" })), ["mapping/value-unmapped"]);
  const pattern: Query = { kind: "not", child: { kind: "match", field: "user.id", value: { kind: "string", parts: [{ kind: "text", value: "S-1-5-21-" }, { kind: "any" }] }, caseSensitive: false } };
  assert.equal(codes(mapFields(pattern, m(), { product: "windows" })), ["mapping/value-unmapped"]);
  assert.equal(codes(mapFields({ kind: "not", child: sid("s-1-5-18", true) }, m(), { product: "windows" })), ["mapping/value-unmapped"]);
  const fileEvent = ecsToSigmaFor(testContext().mappings, { category: "file_event", product: "windows" });
  assert.equal(codes(mapFields({ kind: "not", child: sid("S-1-5-18") }, fileEvent, { product: "windows" })), ["mapping/unmapped-field"]);
});

test.run();
