/** The checks on their own: ATT&CK, schedule, duplicates, the Navigator layer and the progress bar. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { attackLayer } from "../../src/attack/attack-layer.js";
import { attackTable } from "../../src/attack/attack-table.js";
import { checkAttack } from "../../src/checks/attack-check.js";
import { checkDuplicates } from "../../src/checks/duplicate-check.js";
import { checkSchedule } from "../../src/checks/schedule-check.js";
import type { Rule, Threat } from "../../src/ir/rule.js";
import { startProgress } from "../../src/cli/progress.js";
import type { Io } from "../../src/cli/io.js";

const base = {
  id: "r1",
  name: "R",
  severity: "low",
  schedule: { interval: { value: 5, unit: "m" }, from: "now-6m", to: "now" },
  threat: [] as Threat[],
  query: { kind: "all" },
  source: { file: "r.yaml", format: "native", line: 1 },
} as unknown as Rule;
const threat = (tactic: [string, string], tech: [string, string]): Threat => ({ framework: "MITRE ATT&CK", tactic: { id: tactic[0], name: tactic[1] }, techniques: [{ id: tech[0], name: tech[1], subtechniques: [] }] });
const codes = (ds: readonly { code: string }[]) => ds.map((d) => d.code);

test("ATT&CK: known ids pass; unknown, revoked, renamed and misplaced ones are named", () => {
  const t = attackTable();
  const check = (th: Threat) => codes(checkAttack({ ...base, threat: [th] }, t, new Map()));
  assert.equal(check(threat(["TA0002", "Execution"], ["T1059", "Command and Scripting Interpreter"])), []);
  assert.equal(check(threat(["TA0099", "X"], ["T1059", "Command and Scripting Interpreter"])), ["attack/unknown-tactic"]);
  assert.equal(check(threat(["TA0002", "Execution"], ["T9999", "X"])), ["attack/unknown-technique"]);
  assert.equal(check(threat(["TA0002", "Execution"], ["T1035", "Service Execution"])), ["attack/revoked-technique"]);
  assert.equal(check(threat(["TA0002", "Execution"], ["T1059", "Shells"])), ["attack/name-mismatch"]);
  assert.equal(check(threat(["TA0008", "Lateral Movement"], ["T1059", "Command and Scripting Interpreter"])), ["attack/tactic-mismatch"]);
});

test("ATT&CK: an id holding regex syntax is located as text (a Kibana export's T1059( threw an internal error)", () => {
  const t = attackTable();
  const texts = new Map([["r.yaml", "threat:\n  - technique: T1059(\n  - other: T1059((a+)+)+$\n"]]);
  for (const id of ["T1059(", "T1059((a+)+)+$", "TA00.2"]) {
    const ds = checkAttack({ ...base, threat: [threat(["TA0002", "Execution"], [id, "X"])] }, t, texts);
    assert.equal(codes(ds), ["attack/unknown-technique"]);
  }
  const at = checkAttack({ ...base, threat: [threat(["TA0002", "Execution"], ["T1059((a+)+)+$", "X"])] }, t, texts)[0]!;
  assert.is(at.line, 3);
});

test("schedule: interval above the look-back is a gap", () => {
  assert.equal(checkSchedule(base, new Map()), []);
  const gap = { ...base, schedule: { ...base.schedule, interval: { value: 10, unit: "m" as const } } };
  assert.equal(codes(checkSchedule(gap, new Map([["r.yaml", "a: 1\ninterval: 10m\n"]]))), ["schedule/interval-exceeds-lookback"]);
  assert.is(checkSchedule(gap, new Map([["r.yaml", "a: 1\ninterval: 10m\n"]]))[0]!.line, 2);
});

test("schedule: a sequence longer than the look-back can never be found", () => {
  const seq = (minutes: number) => ({ ...base, query: { kind: "sequence" as const, by: [], maxspan: { value: minutes, unit: "m" as const }, steps: [] } });
  assert.equal(checkSchedule(seq(6), new Map()), [], "a window equal to the look-back fits");
  const long = checkSchedule(seq(30), new Map([["r.yaml", "a: 1\nfrom: now-6m\n"]]));
  assert.equal(codes(long), ["schedule/lookback-shorter-than-window"]);
  assert.is(long[0]!.line, 2);
  assert.match(long[0]!.message, "from: now-35m");
});

test("duplicates: ids and names (names case-insensitively)", () => {
  const ds = checkDuplicates([base, { ...base, name: "r" }, { ...base, id: "r2", name: "Other" }]);
  assert.equal(codes(ds), ["rule/duplicate-id", "rule/duplicate-name"]);
});

test("Navigator layer: revoked ids count for their replacement, scores count rules", () => {
  const rules = [
    { ...base, name: "A", threat: [threat(["TA0002", "Execution"], ["T1035", "Service Execution"])] },
    { ...base, name: "B", threat: [threat(["TA0002", "Execution"], ["T1569.002", "Service Execution"])] },
  ];
  const layer = attackLayer(rules, attackTable(), { name: "x" }) as { techniques: { techniqueID: string; tactic: string; score: number; comment: string }[] };
  assert.equal(layer.techniques.map((t) => [t.techniqueID, t.tactic, t.score, t.comment]), [["T1569.002", "execution", 2, "A; B"]]);
});

test("progress: drawn on a terminal for long runs only, and erased at the end", () => {
  const run = (tty: boolean, total: number) => {
    let err = "";
    const io: Io = { cwd: ".", env: {}, out: () => undefined, err: (t) => void (err += t), stdinIsTty: false, stderrIsTty: tty };
    const p = startProgress(io, "converting", total);
    for (let i = 0; i < total; i++) p.tick();
    p.done();
    return err;
  };
  assert.is(run(false, 500), "");
  assert.is(run(true, 10), "");
  const bar = run(true, 500);
  assert.match(bar, /\rconverting \[#{30}\] 500\/500/);
  assert.ok(bar.endsWith("\r"));
  assert.is((bar.match(/\rconverting/g) ?? []).length, 101, "one redraw per percent");
});

test.run();
