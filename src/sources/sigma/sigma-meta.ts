/**
 * Sigma rule metadata → the rule IR fields. Keys the IR has no field for go to `custom` in
 * source order, so a later writer can put them back.
 */
import { attackTable } from "../../attack/attack-table.js";
import { createHash } from "node:crypto";
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import type { Logsource, Rule, RuleKey, Severity, SigmaStatus, Threat } from "../../ir/rule.js";
import { lineColAt } from "../../diagnostics/source-text.js";
import { RISK_FOR_SEVERITY } from "../../ir/rule.js";
import { type DocContext, report } from "./read-context.js";
import { threatFromTags } from "./sigma-threat.js";
import { idControlChar, isUuid } from "../../ir/ids.js";
import { setOwn } from "../own-property.js";

/** Everything of a Rule except the query, which detection or correlation reading supplies. */
export type RuleMeta = Omit<Rule, "query" | "queryText">;

const STATUSES: readonly SigmaStatus[] = ["stable", "test", "experimental", "deprecated", "unsupported"];
const LEVELS: readonly Severity[] = ["informational", "low", "medium", "high", "critical"];
/** Keys this module maps to IR fields; `queryKey` (detection / correlation) is read elsewhere. */
const MAPPED = new Set([
  "title", "id", "description", "status", "author", "date", "modified", "references", "tags",
  "falsepositives", "level", "logsource", "license",
]);
const LOGSOURCE_KEYS = ["category", "product", "service", "definition"] as const;

export function pairKey(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value ?? "") : String(pair.key);
}

function offsetOf(n: unknown, fallback: number): number {
  return (n as Node | null)?.range?.[0] ?? fallback;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => pairKey(p) === key);
}

/** A deterministic v5-style UUID, so a rule without `id` keeps the same id on every run. */
export function generatedId(file: string, title: string): string {
  const h = createHash("sha1").update(`${file}\n${title}`).digest("hex");
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `YYYY/MM/DD` (older SigmaHQ style) and `YYYY-MM-DD` → `YYYY-MM-DD`; anything else → undefined. */
export function normaliseDate(s: string): string | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  return `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`;
}

export function readMeta(ctx: DocContext, map: YAMLMap, queryKey: string, docLine: number): RuleMeta | undefined {
  const at = map.range?.[0] ?? 0;
  const get = (k: string): Pair | undefined => findPair(map, k);
  const str = (k: string): string | undefined => {
    const p = get(k);
    if (!p) return undefined;
    if (isScalar(p.value) && (typeof p.value.value === "string" || typeof p.value.value === "number")) return String(p.value.value);
    if (isScalar(p.value) && p.value.value === null) return undefined;
    report(ctx, "warning", "sigma/invalid-field-type", `\`${k}\` should be a string`, offsetOf(p.value, at), `write \`${k}: '...'\``);
    return undefined;
  };
  const list = (k: string): string[] => {
    const p = get(k);
    if (!p || (isScalar(p.value) && p.value.value === null)) return [];
    if (isScalar(p.value)) return [String(p.value.value)];
    if (isSeq(p.value)) return p.value.items.map((i) => (isScalar(i) ? String(i.value) : JSON.stringify((i as Node).toJSON())));
    report(ctx, "warning", "sigma/invalid-field-type", `\`${k}\` should be a list of strings`, offsetOf(p.value, at), `write \`${k}:\` with \`- item\` lines`);
    return [];
  };

  const title = str("title");
  const idRaw = str("id");
  const idBad = idRaw ? idControlChar(idRaw) : undefined;
  // An id that would break a line is not put on diagnostics either.
  if (idRaw && !idBad) ctx.ruleId = idRaw;
  if (!title) {
    report(ctx, "error", "sigma/missing-title", "the rule has no `title`", at, "every Sigma rule needs a title");
    return undefined;
  }
  if (idRaw && idBad) {
    report(ctx, "error", "sigma/invalid-id", `\`id\` holds the control character ${idBad.codePoint} (character ${idBad.index + 1})`, offsetOf(get("id")?.value, at), "ids are one line of printable text; Sigma ids are UUIDs");
    return undefined;
  }
  if (idRaw && !isUuid(idRaw)) {
    report(ctx, "warning", "sigma/id-not-uuid", `\`id\` ${JSON.stringify(idRaw)} is not a UUID`, offsetOf(get("id")?.value, at), "Sigma ids are UUIDs (e.g. from `uuidgen`)");
  }
  const id = idRaw || generatedId(ctx.src.file, title);
  if (!idRaw) {
    ctx.ruleId = id;
    report(ctx, "info", "sigma/generated-id", `no \`id\`: using ${id}, derived from the file path and title`, at, "add a UUID `id` so the rule keeps its identity when moved");
  }
  const custom: Record<string, unknown> = {};

  const statusRaw = str("status");
  let status: SigmaStatus | undefined;
  if (statusRaw !== undefined) {
    if ((STATUSES as readonly string[]).includes(statusRaw)) status = statusRaw as SigmaStatus;
    else {
      custom["status"] = statusRaw;
      report(ctx, "warning", "sigma/unknown-status", `unknown status '${statusRaw}'`, offsetOf(get("status")?.value, at), `one of ${STATUSES.join(", ")}`);
    }
  }
  const levelRaw = str("level");
  let severity: Severity = "medium";
  if (levelRaw === undefined) {
    report(ctx, "info", "sigma/default-level", "no `level`: using medium", at, "add `level:`");
  } else if ((LEVELS as readonly string[]).includes(levelRaw)) severity = levelRaw as Severity;
  else {
    custom["level"] = levelRaw;
    report(ctx, "warning", "sigma/unknown-level", `unknown level '${levelRaw}': using medium`, offsetOf(get("level")?.value, at), `one of ${LEVELS.join(", ")}`);
  }
  const dates: { date?: string; modified?: string } = {};
  for (const k of ["date", "modified"] as const) {
    const raw = str(k);
    if (raw === undefined) continue;
    const d = normaliseDate(raw);
    if (d) dates[k] = d;
    else {
      setOwn(custom, k, raw);
      report(ctx, "warning", "sigma/invalid-date", `\`${k}\` '${raw}' is not YYYY-MM-DD`, offsetOf(get(k)?.value, at), "write the date as YYYY-MM-DD");
    }
  }

  const authorPair = get("author");
  const authors = authorPair && isSeq(authorPair.value) ? list("author") : (str("author") ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  const tags = list("tags");
  const { threat, unknown } = threatFromTags(tags);
  const table = attackTable();
  for (const tag of unknown) {
    const id = tag.replace(/^attack\./i, "");
    if (table.isNewer(id)) {
      report(ctx, "info", "sigma/newer-attack-id", `tag '${tag}' is from ATT&CK v19, newer than the bundled v${table.version} table: kept as a tag, left out of the threat mapping`, offsetOf(get("tags")?.value, at), "rulecast check names what the bundled table knows");
    } else {
      report(ctx, "warning", "sigma/unknown-attack-id", `tag '${tag}' names no tactic or technique in the bundled ATT&CK table`, offsetOf(get("tags")?.value, at), "check the id, or the ATT&CK version it was removed in");
    }
  }

  const logsource = readLogsource(ctx, get("logsource"), custom, at);
  // rulecast writes ECS-named Sigma as `taxonomy: ecs`; any other taxonomy stays a custom key.
  const taxonomyRaw = str("taxonomy");
  const taxonomy = taxonomyRaw === "ecs" || taxonomyRaw === "sigma" ? taxonomyRaw : undefined;
  for (const pair of map.items) {
    const k = pairKey(pair);
    if (MAPPED.has(k) || k === queryKey || (k === "taxonomy" && taxonomy !== undefined)) continue;
    setOwn(custom, k, isScalar(pair.value) || isMap(pair.value) || isSeq(pair.value) ? (pair.value as Node).toJSON() : null);
  }
  const license = str("license");
  return {
    id,
    name: title,
    description: str("description") ?? "",
    type: "query",
    language: "sigma",
    taxonomy: taxonomy ?? "sigma",
    index: [],
    severity,
    riskScore: RISK_FOR_SEVERITY[severity],
    schedule: { interval: { value: 5, unit: "m" }, from: "now-6m", to: "now" },
    maxSignals: 100,
    enabled: true,
    tags,
    version: 1,
    authors,
    ...(license !== undefined ? { license } : {}),
    falsePositives: list("falsepositives"),
    references: list("references"),
    threat: threat as Threat[],
    history: [],
    ...(status ? { status } : {}),
    ...dates,
    ...(logsource ? { logsource } : {}),
    custom,
    source: { file: ctx.src.file, format: "sigma", line: docLine, keys: keyPlaces(ctx, { name: get("title"), logsource: get("logsource") }) },
  };
}

/** Where `title:` and `logsource:` are, for findings about the name and the log source. */
function keyPlaces(ctx: DocContext, pairs: { readonly [K in RuleKey]: Pair | undefined }): NonNullable<Rule["source"]["keys"]> {
  const out: { -readonly [K in RuleKey]?: { line: number; col: number } } = {};
  for (const k of ["name", "logsource"] as const) {
    const offset = (pairs[k]?.key as Node | null | undefined)?.range?.[0];
    if (offset !== undefined) out[k] = lineColAt(ctx.src.text, offset, ctx.src.starts);
  }
  return out;
}

export function readLogsource(ctx: DocContext, pair: Pair | undefined, custom: Record<string, unknown>, at: number): Logsource | undefined {
  if (!pair) return undefined;
  if (!isMap(pair.value)) {
    report(ctx, "warning", "sigma/invalid-field-type", "`logsource` should be a mapping", offsetOf(pair.value, at), "use category/product/service keys");
    return undefined;
  }
  const out: { -readonly [K in keyof Logsource]: string } = {};
  const extra: Record<string, unknown> = {};
  for (const p of pair.value.items) {
    const k = pairKey(p);
    const v = isScalar(p.value) ? p.value.value : (p.value as Node | null)?.toJSON();
    if ((LOGSOURCE_KEYS as readonly string[]).includes(k) && typeof v === "string") out[k as (typeof LOGSOURCE_KEYS)[number]] = v;
    else setOwn(extra, k, v);
  }
  // Keys beyond the four the IR knows (older rules carry e.g. `definition` variants) stay visible.
  if (Object.keys(extra).length) custom["logsource"] = extra;
  return out;
}
