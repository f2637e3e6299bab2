import { test } from "uvu";
import * as assert from "uvu/assert";
import { attackTable, techniqueReference } from "../../src/attack/attack-table.js";

test("the bundled v18.1 table: tactics, techniques, revocations", () => {
  const t = attackTable();
  assert.is(t.version, "18.1");
  assert.is(t.tacticById("TA0008")?.shortname, "lateral-movement");
  assert.is(t.technique("T1127")?.name, "Trusted Developer Utilities Proxy Execution");
  assert.is(t.technique("T1035")?.revokedBy, "T1569.002");
  assert.is(techniqueReference("T1059.001"), "https://attack.mitre.org/techniques/T1059/001/");
});

test("ATT&CK v19 ids are recognised as newer, not as mistakes", () => {
  const t = attackTable();
  assert.ok(t.isNewer("stealth"));
  assert.ok(t.isNewer("defense-impairment"));
  assert.ok(t.isNewer("t1685"));
  assert.ok(t.isNewer("T1686.003"), "a sub-technique of a new technique");
  assert.not.ok(t.isNewer("T9999"));
  assert.not.ok(t.isNewer("execution"));
});

test.run();
