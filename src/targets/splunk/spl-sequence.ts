/**
 * Ordered sequences (EQL `sequence`, Sigma `temporal_ordered`) and unordered samples in SPL.
 *
 * Each event is classified by the first step whose exact condition it meets (`rc_step`), events
 * are put in time order, and one `streamstats` per step carries, per join key, the start time of
 * the newest partial sequence that has reached that step; a step-k event extends it when it came
 * within maxspan of that start and after the newest `until` event for the key. This mirrors EQL,
 * which keeps the newest in-flight sequence per key and stage. An event that meets two steps'
 * conditions counts only for the first (EQL could use it for either); that is a documented limit.
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
  const lines: string[] = [];
  lines.push(all.map((s) => `(${s.search || "*"})`).join(" OR "));
  const stepNo = (i: number) => (plan.until ? i : i + 1); // the until step is 0
  lines.push(`| eval rc_step=case(${all.map((s, i) => `${s.condition}, ${stepNo(i)}`).join(", ")}, true(), null())`);
  lines.push("| where isnotnull(rc_step)");
  const keyFields = joinKeyFields(plan, all, stepNo, lines);
  const by = keyFields.length > 0 ? ` by ${keyFields.map((k) => k.name).join(", ")}` : "";
  if (keyFields.length > 0) lines.push(`| where ${keyFields.map((k) => `isnotnull(${k.ref})`).join(" AND ")}`);
  lines.push("| sort 0 _time");
  if (plan.until) {
    lines.push("| eval rc_u=if(rc_step=0, _time, null())");
    lines.push(`| streamstats current=f last(rc_u) as rc_last_until${by}`);
  }
  const span = plan.maxspan ? durationMs(plan.maxspan) / 1000 : undefined;
  lines.push("| eval rc_s1=if(rc_step=1, _time, null())");
  for (let k = 2; k <= plan.steps.length; k++) {
    lines.push(`| streamstats current=f last(rc_s${k - 1}) as rc_p${k - 1}${by}`);
    const checks = [`rc_step=${k}`, `isnotnull(rc_p${k - 1})`];
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
  lines.push(steps.map((s) => `(${s.search || "*"})`).join(" OR "));
  lines.push(`| eval rc_step=case(${steps.map((s, i) => `${s.condition}, ${i + 1}`).join(", ")}, true(), null())`);
  lines.push("| where isnotnull(rc_step)");
  const keyFields = joinKeyFields({ steps }, steps, (i) => i + 1, lines);
  const by = keyFields.length > 0 ? ` by ${keyFields.map((k) => k.name).join(", ")}` : "";
  lines.push(`| stats dc(rc_step) as rc_steps min(_time) as rc_first max(_time) as rc_last${by}`);
  lines.push(`| where rc_steps=${steps.length}`);
  return lines.join("\n");
}

/**
 * Join keys: a step-independent field when every step joins on the same field, else a computed
 * `rc_key_N` picked per step. `name` is for `by` clauses, `ref` for eval expressions (where a
 * dotted name must be quoted).
 */
function joinKeyFields(
  plan: Pick<SequencePlan, "steps">,
  all: readonly SplStep[],
  stepNo: (i: number) => number,
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
    lines.push(`| eval ${name}=case(${fields.map((f, s) => `rc_step=${stepNo(s)}, ${evalField(f) ?? f}`).join(", ")})`);
    out.push({ name, ref: name });
  }
  return out;
}
