/**
 * An ES|QL rule for targets that cannot run ES|QL (Sigma, Splunk): its query read into the IR
 * (src/query/esql/esql-read.ts), the index patterns of `FROM` as the rule's index, and an
 * aggregation without a time bucket counted over the rule's look-back as the correlation's
 * timespan, as a Kibana threshold is. Readers keep the query opaque, so the Elastic target writes
 * it as its author wrote it; only the targets that need the IR read it, here.
 *
 * A query whose meaning the IR cannot hold is refused with the reader's own code and position
 * (`esql/unsupported-command` at GROK), never written as part of what it says.
 */
import { durationFromMs, durationMs, formatDuration, lookbackMs } from "../ir/duration.js";
import type { Query, Span } from "../ir/query.js";
import { requiresField } from "../ir/query-fields.js";
import type { Rule } from "../ir/rule.js";
import { readEsql } from "../query/esql/esql-read.js";

export interface EsqlRuleNote {
  readonly severity: "info" | "warning";
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** Where in the query text it is about. */
  readonly at?: Span;
}

export type EsqlRuleReading =
  | { readonly rule: Rule; readonly notes: readonly EsqlRuleNote[] }
  | { readonly error: string; readonly code: string; readonly at?: Span; readonly hint?: string };

/** Whether the rule's query is ES|QL text kept for Elastic (what `readEsqlRule` reads). */
export function isEsqlText(rule: Rule): boolean {
  return rule.query.kind === "opaque" && rule.query.language === "esql";
}

export function readEsqlRule(rule: Rule): EsqlRuleReading {
  const text = rule.query.kind === "opaque" ? rule.query.text : rule.queryText;
  const read = readEsql(text);
  if (!read.ok) {
    // Readers parse ES|QL when they load a rule; this is a rule built some other way.
    const { code, message, offset, hint } = read.error;
    return { error: message, code, at: { start: offset, end: read.error.end ?? offset }, ...(hint ? { hint } : {}) };
  }
  const reading = read.value;
  if (reading.kind === "refused") {
    const { code, message, offset, end, hint } = reading.refusal;
    return {
      error: `${message}; only Elastic runs this ES|QL query (it keeps it as written)`,
      code,
      at: { start: offset, end: end ?? offset },
      hint: hint ?? "convert this rule to Elastic, or rewrite the query without it",
    };
  }
  const notes: EsqlRuleNote[] = [];
  for (const n of reading.notes) {
    if (n.code === "esql/lookback-window") continue; // said below, with the look-back it became
    notes.push({ severity: n.severity, code: n.code, message: n.message, at: { start: n.offset, end: n.end ?? n.offset } });
  }
  let query = reading.query;
  let schedule = rule.schedule;
  if (reading.window) {
    // `@timestamp >= NOW() - w`: each run keeps the events of its last w, the look-back when shorter.
    const { duration, strict, offset, end } = reading.window;
    const at = { start: offset, end };
    const look = lookbackMs(schedule.from, schedule.to);
    const w = formatDuration(duration);
    if (look === undefined) {
      return {
        error: `the query keeps the events of the last ${w} of each run (\`NOW()\`), and the rule's look-back ${schedule.from}..${schedule.to} has no fixed length to compare it with`,
        code: "esql/time-dependent",
        at,
        hint: "give the rule a look-back such as `from: now-10m`",
      };
    }
    if (durationMs(duration) < look) {
      notes.push({ severity: "info", code: "esql/now-window", message: `the query keeps the events of the last ${w} of each run (\`NOW()\`): read as the rule's look-back, now-${w} instead of ${schedule.from}`, at });
      schedule = { ...schedule, from: `now-${w}` };
    } else {
      notes.push({ severity: "info", code: "esql/now-window", message: `the query keeps the events of the last ${w} of each run (\`NOW()\`), which the look-back ${schedule.from} already holds: left out`, at });
    }
    if (strict) {
      notes.push({ severity: "warning", code: "esql/now-window", message: `\`>\` leaves out an event at exactly ${w} before the run, which the look-back keeps (\`>=\` says the look-back)`, at });
    }
  }
  if (query.kind === "correlation" && !query.timespan) {
    const look = lookbackMs(schedule.from, schedule.to);
    const stats = reading.notes.find((n) => n.code === "esql/lookback-window");
    const at = stats ? { start: stats.offset, end: stats.end ?? stats.offset } : undefined;
    if (look === undefined || look % 1000 !== 0) {
      return {
        error: `the aggregation counts over each run's look-back ${schedule.from}..${schedule.to}, which has no fixed length a correlation timespan can take`,
        code: "esql/lookback-window",
        ...(at ? { at } : {}),
        hint: "give the rule a look-back such as `from: now-10m`, or group by a time bucket (`BY DATE_TRUNC(10 minutes, @timestamp)`)",
      };
    }
    const timespan = durationFromMs(look);
    query = { ...query, timespan };
    notes.push({
      severity: "warning",
      code: "esql/lookback-window",
      message: `the aggregation counts over each run's look-back (${schedule.from}, every ${formatDuration(schedule.interval)}); written as a ${formatDuration(timespan)} correlation timespan, which also finds a burst that no single run's window holds whole`,
      ...(at ? { at } : {}),
    });
  }
  const keyless = query.kind === "correlation" ? nullableKeys(query) : [];
  if (keyless.length > 0) {
    notes.push({
      severity: "warning",
      code: "esql/null-group",
      message: `ES|QL's STATS also counts the events without ${keyless.map((k) => `\`${k}\``).join(", ")} as one group (its key NULL); the correlation groups only events that have ${keyless.length === 1 ? "it" : "them"}, so it alerts on fewer groups`,
      ...(query.span ? { at: query.span } : {}),
      hint: `add \`| WHERE ${keyless[0]} IS NOT NULL\` before STATS if the NULL group is not meant`,
    });
  }
  return { rule: { ...rule, query, index: [...reading.indices], schedule }, notes };
}

/** Group keys some correlated rule's events may lack (ES|QL groups those under a NULL key; a correlation leaves them out). */
function nullableKeys(q: Extract<Query, { kind: "correlation" }>): string[] {
  return q.groupBy.filter((k) => q.rules.some((r) => !requiresField(r.query, r.aliases?.[k] ?? k)));
}

