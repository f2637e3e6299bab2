/**
 * Ordered sequences (EQL `sequence`, Sigma `temporal_ordered`) and unordered samples in SPL.
 *
 * Each event gets one flag per step whose exact condition it meets (`rc_m1`, `rc_m2`, ...; the
 * `until` step is `rc_m0`), events are put in time order, and one `streamstats current=f` per step
 * carries, per join key, the start time of the newest partial sequence that earlier events brought
 * to that step; a step-k event extends it when it came within maxspan of that start and after the
 * newest `until` event for the key. This mirrors EQL, which keeps the newest in-flight sequence per
 * key and stage, and lets one event serve as different steps of different sequences (a rule
 * repeated as two steps works). When steps join on different fields, an event that meets several
 * steps takes the join key of the first of them: a documented limit.
 */
import type { Duration } from "../../ir/query.js";
import { durationMs } from "../../ir/duration.js";
import { evalField } from "./spl-tokens.js";

export interface SplStep {
  /** Search terms (a superset) that select the step's candidate events. */
  readonly search: string;
  /** An exact eval condition for the step. */
  readonly condition: string;
  /** This step's join key fields, in key order. */
  readonly keys: readonly string[];
}

export interface SequencePlan {
  readonly steps: readonly SplStep[];
  readonly until?: SplStep;
  readonly maxspan?: Duration;
}

export function renderSplSequence(plan: SequencePlan): string {
  const all = plan.until ? [plan.until, ...plan.steps] : plan.steps;
  const stepNo = (i: number) => (plan.until ? i : i + 1); // the until step is 0
  const lines: string[] = [];
  lines.push(candidateSearch(all));
  // A step repeated (EQL `with runs=N`) copies the flag of its first occurrence, in a second eval,
  // so its condition is written and evaluated once.
  const first = all.map((s, i) => all.findIndex((o, j) => j < i && o.condition === s.condition));
  lines.push(`| eval ${all.flatMap((s, i) => (first[i]! >= 0 ? [] : [`rc_m${stepNo(i)}=if(${s.condition}, 1, 0)`])).join(", ")}`);
  const copies = all.flatMap((_, i) => (first[i]! >= 0 ? [`rc_m${stepNo(i)}=rc_m${stepNo(first[i]!)}`] : []));
  if (copies.length) lines.push(`| eval ${copies.join(", ")}`);
  const distinct = all.flatMap((_, i) => (first[i]! >= 0 ? [] : [i]));
  lines.push(`| where ${distinct.map((i) => `rc_m${stepNo(i)}=1`).join(" OR ")}`);
  const keyFields = joinKeyFields(plan, all, (i) => `rc_m${stepNo(i)}=1`, lines);
  const by = keyFields.length > 0 ? ` by ${keyFields.map((k) => k.name).join(", ")}` : "";
  if (keyFields.length > 0) lines.push(`| where ${keyFields.map((k) => `isnotnull(${k.ref})`).join(" AND ")}`);
  lines.push("| sort 0 _time");
  if (plan.until) {
    lines.push("| eval rc_u=if(rc_m0=1, _time, null())");
    lines.push(`| streamstats current=f last(rc_u) as rc_last_until${by}`);
  }
  const span = plan.maxspan ? durationMs(plan.maxspan) / 1000 : undefined;
  lines.push("| eval rc_s1=if(rc_m1=1, _time, null())");
  for (let k = 2; k <= plan.steps.length; k++) {
    lines.push(`| streamstats current=f last(rc_s${k - 1}) as rc_p${k - 1}${by}`);
    const checks = [`rc_m${k}=1`, `isnotnull(rc_p${k - 1})`];
    if (span !== undefined) checks.push(`_time-rc_p${k - 1}<=${span}`);
    if (plan.until) checks.push(`(isnull(rc_last_until) OR rc_p${k - 1}>rc_last_until)`);
    lines.push(`| eval rc_s${k}=if(${checks.join(" AND ")}, rc_p${k - 1}, null())`);
  }
  lines.push(`| where isnotnull(rc_s${plan.steps.length})`);
  lines.push(`| eval rc_sequence_start=rc_s${plan.steps.length}`);
  return lines.join("\n");
}

/** Unordered: every step seen for the key inside the search window. */
export function renderSplSample(steps: readonly SplStep[]): string {
  const lines: string[] = [];
  lines.push(candidateSearch(steps));
  // A multivalue list of the steps each event meets, so one event can count for several.
  lines.push(`| eval rc_steps=mvappend(${steps.map((s, i) => `if(${s.condition}, "${i + 1}", null())`).join(", ")})`);
  lines.push("| where isnotnull(rc_steps)");
  const keyFields = joinKeyFields({ steps }, steps, (i) => `mvfind(rc_steps, "^${i + 1}$")>=0`, lines);
  const by = keyFields.length > 0 ? ` by ${keyFields.map((k) => k.name).join(", ")}` : "";
  lines.push(`| stats dc(rc_steps) as rc_steps min(_time) as rc_first max(_time) as rc_last${by}`);
  lines.push(`| where rc_steps=${steps.length}`);
  return lines.join("\n");
}

/** The events any step could use: each step's search terms once, ORed. */
export function candidateSearch(steps: readonly SplStep[]): string {
  const terms = [...new Set(steps.map((s) => s.search || "*"))];
  return terms.length === 1 ? terms[0]! : terms.map((t) => `(${t})`).join(" OR ");
}

/**
 * Join keys: a step-independent field when every step joins on the same field, else a computed
 * `rc_key_N` picked per step. `name` is for `by` clauses, `ref` for eval expressions (where a
 * dotted name must be quoted).
 */
function joinKeyFields(
  plan: Pick<SequencePlan, "steps">,
  all: readonly SplStep[],
  isStep: (i: number) => string,
  lines: string[],
): { name: string; ref: string }[] {
  const width = plan.steps[0]?.keys.length ?? 0;
  const out: { name: string; ref: string }[] = [];
  for (let i = 0; i < width; i++) {
    const fields = all.map((s) => s.keys[i] ?? "");
    if (fields.every((f) => f === fields[0])) {
      out.push({ name: fields[0]!, ref: evalField(fields[0]!) ?? fields[0]! });
      continue;
    }
    const name = `rc_key_${i + 1}`;
    lines.push(`| eval ${name}=case(${fields.map((f, s) => `${isStep(s)}, ${evalField(f) ?? f}`).join(", ")})`);
    out.push({ name, ref: name });
  }
  return out;
}
