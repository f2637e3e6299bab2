/**
 * sigmaToEcs: turns a Sigma-taxonomy rule into an ECS rule for Elastic. Values ECS stores
 * differently are rewritten first (exactly, or reported); every other field is renamed by
 * `mapFields`; the log source becomes ECS conditions ANDed in front and, when the rule names none,
 * its index patterns. Pure Rule → Rule.
 */
import type { Logsource, Part, Query, SequenceStep, Value } from "../ir/query.js";
import type { Rule } from "../ir/rule.js";
import {
  fieldMappingFor,
  findField,
  findFields,
  findKeywordField,
  findLogsource,
  type SigmaEcsField,
  type SigmaEcsLogsource,
  type SigmaEcsMapping,
} from "../mapping/sigma-ecs.js";
import { KEPT_UNDER_UNMAPPED_SOURCE } from "../diagnostics/mapping-diagnostics.js";
import { mapFields, type MappingProblem } from "./map-fields.js";
import { queryFields } from "../ir/query-fields.js";
import { mapMeasures } from "../ir/correlation-measures.js";

export interface SigmaToEcsResult {
  /** Always set for a Sigma rule: fields that could not be mapped keep their Sigma names, so a caller whose policy allows them can still render. */
  readonly rule?: Rule;
  readonly problems: MappingProblem[];
}

interface Ctx {
  readonly mapping: SigmaEcsMapping;
  /** A Sigma file written in ECS names (`taxonomy: ecs`): only its log source needs mapping. */
  readonly ecsNames: boolean;
  readonly problems: MappingProblem[];
  readonly index: string[];
}

/** `sigmaToEcs(rule, sigmaEcsMapping())` → `{ rule: { ...rule, taxonomy: "ecs", ... }, problems }`. */
export function sigmaToEcs(rule: Rule, mapping: SigmaEcsMapping): SigmaToEcsResult {
  const ecsNames = rule.taxonomy === "ecs" && rule.language === "sigma";
  if (rule.taxonomy !== "sigma" && !ecsNames) return { rule, problems: [] };
  const ctx: Ctx = { mapping, ecsNames, problems: [], index: [] };
  const q = rule.query;
  let query: Query;
  if (q.kind === "correlation") {
    const rules = q.rules.map((r) => {
      const ls = r.logsource ?? rule.logsource;
      const aliases = r.aliases
        ? Object.fromEntries(Object.entries(r.aliases).map(([name, field]) => [name, renameOne(ctx, field, ls, "alias")]))
        : undefined;
      return { ...r, query: mapSource(ctx, r.query, ls), ...(aliases ? { aliases } : {}) };
    });
    const first = q.rules[0]?.logsource ?? rule.logsource;
    const aliased = (k: string) => q.rules.some((r) => r.aliases?.[k] !== undefined);
    query = {
      ...q,
      rules,
      groupBy: q.groupBy.map((k) => (aliased(k) ? k : renameOne(ctx, k, first, "group-by"))),
      ...(q.valueField ? { valueField: renameOne(ctx, q.valueField, first, "value count") } : {}),
      ...mapMeasures(q, (m) => ({
        ...m,
        ...(m.valueField ? { valueField: renameOne(ctx, m.valueField, first, "value count") } : {}),
        ...(m.valueFallbacks ? { valueFallbacks: m.valueFallbacks.map((f) => renameOne(ctx, f, first, "value count")) } : {}),
        ...(m.filter ? { filter: mapSource(ctx, m.filter, first) } : {}),
      })),
    };
  } else if (q.kind === "sequence") {
    const step = (s: SequenceStep): SequenceStep => {
      const ls = s.logsource ?? rule.logsource;
      return { ...s, query: mapSource(ctx, s.query, ls), by: s.by.map((k) => renameOne(ctx, k, ls, "join key")) };
    };
    const first = q.steps[0]?.logsource ?? rule.logsource;
    query = {
      ...q,
      by: q.by.map((k) => renameOne(ctx, k, first, "join key")),
      steps: q.steps.map(step),
      ...(q.until ? { until: step(q.until) } : {}),
    };
  } else {
    query = mapSource(ctx, q, rule.logsource);
    // Values ECS can never hold may leave nothing that matches: such a rule is refused, not written.
    if (query.kind === "none") {
      report(ctx, { severity: "error", code: "mapping/never-matches", message: "after mapping, no ECS event can match this rule (see the warnings above)", field: "logsource" });
    }
  }
  const index = rule.index.length > 0 ? rule.index : ctx.index;
  return { rule: { ...rule, taxonomy: "ecs", query, index }, problems: ctx.problems };
}

/** One query over one log source: transforms, renames, then the source's conditions in front. */
function mapSource(ctx: Ctx, query: Query, ls: Logsource | undefined): Query {
  const ready = new Set<string>();
  const reported = new Set<string>();
  // ECS names are already what the target speaks: every field is `ready`, no value transform applies.
  if (ctx.ecsNames) for (const u of queryFields(query)) ready.add(u.field);
  const transformed = withTextField(ctx.ecsNames ? query : foldConstants(rewrite(query, (q) => transformNode(ctx, q, ls, ready, reported))), findKeywordField(ctx.mapping, ls));
  const mapped = mapFields(transformed, fieldMappingFor(ctx.mapping, ls, ready));
  const source = findLogsource(ctx.mapping, ls);
  for (const p of mapped.problems) {
    if (p.code === "mapping/unmapped-field" && reported.has(p.field)) continue;
    report(ctx, !source && ls && p.code === "mapping/unmapped-field" ? keptUnderUnmappedSource(p, ls) : p);
  }
  if (!source) {
    report(ctx, {
      severity: "warning",
      code: "mapping/logsource-unmapped",
      message: `log source {${describe(ls)}} has no entry in mapping ${ctx.mapping.name}; the rule gets no event.category or other source condition and no index, so it searches every event of the indices it is run on`,
      field: "logsource",
    });
    return mapped.query;
  }
  if (source.note) report(ctx, { severity: "warning", code: "mapping/logsource-broader", message: source.note, field: "logsource" });
  for (const i of source.index) if (!ctx.index.includes(i)) ctx.index.push(i);
  const conditions = sourceConditions(source);
  const body = mapped.query.kind === "and" ? mapped.query.children : mapped.query.kind === "all" ? [] : [mapped.query];
  const front = !conditions ? [] : conditions.kind === "and" ? conditions.children : [conditions];
  const all = [...front, ...body];
  return all.length === 0 ? { kind: "all" } : all.length === 1 ? all[0]! : foldConstants({ kind: "and", children: all });
}

/**
 * A log source the table has no entry for is one no Elastic integration is known to ingest
 * (generic antivirus logs, Azure PIM alerts, OneLogin): there is no ECS or integration name its
 * fields could be mapped to, and none the Sigma name could be wrong against. Such a field keeps its
 * Sigma name, with a warning on the rule, instead of failing it. A source that has an entry keeps
 * failing on an unknown field: there an integration names its fields, and keeping Sigma's name
 * would search a field that does not exist.
 */
function keptUnderUnmappedSource(p: MappingProblem, ls: Logsource): MappingProblem {
  return {
    severity: "warning",
    code: KEPT_UNDER_UNMAPPED_SOURCE,
    message: `\`${p.field}\` keeps its Sigma name: log source {${(["category", "product", "service"] as const).filter((k) => ls[k]).map((k) => `${k}: ${ls[k]}`).join(", ")}} has no entry in the ECS mapping (no Elastic integration is known to store it), so the rule searches \`${p.field}\` as your own ingest names it`,
    field: p.field,
  };
}

function sourceConditions(source: SigmaEcsLogsource): Query | undefined {
  const sets = source.any.map((set): Query => {
    const parts = Object.entries(set).map(([field, values]): Query => {
      const ms = values.map((v): Query => ({ kind: "match", field, value: text(v), caseSensitive: true }));
      return ms.length === 1 ? ms[0]! : { kind: "or", children: ms };
    });
    return parts.length === 1 ? parts[0]! : { kind: "and", children: parts };
  });
  if (sets.length === 0) return undefined;
  return sets.length === 1 ? sets[0]! : { kind: "or", children: sets };
}

/**
 * Applies `f` to the field nodes of a boolean query, bottom-up through and/or/not only: the
 * other kinds are left to `mapFields`, which renames or reports them.
 */
function rewrite(q: Query, f: (q: Query) => Query): Query {
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map((c) => rewrite(c, f)) };
    case "not":
      return { ...q, child: rewrite(q.child, f) };
    default:
      return f(q);
  }
}

/**
 * Each keyword (free text) notes the field the log source keeps the event's text in, if the table
 * names one: a language that cannot search every field (ES|QL) may search that one, with a warning.
 */
function withTextField(q: Query, field: string | undefined): Query {
  if (field === undefined) return q;
  return rewrite(q, (n) => (n.kind === "keyword" ? { ...n, textField: field } : n));
}

/**
 * Removes the `all`/`none` a transform can leave (a match that always or never holds under the log
 * source) from and/or/not, so the printed query says only what still decides.
 */
function foldConstants(q: Query): Query {
  switch (q.kind) {
    case "and":
    case "or": {
      const unit = q.kind === "and" ? "all" : "none";
      const zero = q.kind === "and" ? "none" : "all";
      const kids = q.children.map(foldConstants);
      if (kids.some((k) => k.kind === zero)) return { kind: zero };
      const rest = kids.filter((k) => k.kind !== unit);
      if (rest.length === 0) return { kind: unit };
      return rest.length === 1 ? rest[0]! : { ...q, children: rest };
    }
    case "not": {
      const child = foldConstants(q.child);
      if (child.kind === "all") return { kind: "none" };
      if (child.kind === "none") return { kind: "all" };
      return { ...q, child };
    }
    default:
      return q;
  }
}

/** A node on a field with a value transform becomes ECS-named node(s), or is reported and kept. */
function transformNode(ctx: Ctx, q: Query, ls: Logsource | undefined, ready: Set<string>, reported: Set<string>): Query {
  if (q.kind !== "match" && q.kind !== "exists" && q.kind !== "range" && q.kind !== "regex" && q.kind !== "cidr") return q;
  const row = rowFor(ctx.mapping, q, ls);
  if (!row?.transform) return q;
  const done = (out: Query): Query => {
    collectFields(out, ready);
    return out;
  };
  const fail = (code: string, message: string): Query => {
    reported.add(q.field);
    report(ctx, { severity: "error", code, message, field: q.field });
    return q;
  };
  // A listed-values row holds for its listed values only: whether the field is there says nothing of them.
  // Another value has no ECS name, like a field no row names: `mapping/unmapped-field`, so the
  // --unmapped policy decides (refused by default, kept under its Sigma name with a warning).
  if ((row.transform === "listed-values" || row.transform === "prefix-of") && (q.kind !== "match" || q.value.kind === "null")) {
    const what = row.transform === "prefix-of" ? `by the first segment of its value` : `only for the values its row lists (${listedSample(row)})`;
    return fail("mapping/unmapped-field", `\`${q.field}\` maps to \`${row.ecs}\` ${what}; a ${q.kind === "match" ? "null match" : q.kind} has no such value`);
  }
  if (row.transform === "nested" && row.path !== undefined) {
    // Each test its own nested query: some element passes it, as Sigma reads an array's subfield.
    if (row.note) report(ctx, { severity: "warning", code: "mapping/field-reading", message: `\`${q.field}\` → \`${row.ecs}\`: ${row.note}`, field: q.field });
    return done({ kind: "nested", path: row.path, query: { ...q, field: row.ecs } });
  }
  if (q.kind === "exists") {
    const to = existsField(row);
    return to ? done({ ...q, field: to }) : fail("mapping/transform-unsupported", `\`${q.field}\` is split over several ECS fields by the ${row.transform} transform, so "field exists" has no single ECS field`);
  }
  if (q.kind !== "match") {
    if (row.transform === "registry-details") return done({ ...q, field: row.ecs });
    // A regex reads the field's text, which number-as-text leaves as it is (a range would compare numbers).
    if (row.transform === "number-as-text" && q.kind === "regex") return done({ ...q, field: row.ecs });
    return fail("mapping/transform-unsupported", `\`${q.field}\` maps to \`${row.ecs}\` by a ${row.transform} transform, which a ${q.kind} cannot use`);
  }
  if (q.value.kind === "null") {
    const to = existsField(row);
    return to ? done({ ...q, field: to }) : fail("mapping/transform-unsupported", `\`${q.field}\` is split over several ECS fields, so a null match has no single ECS field`);
  }
  const r = transformMatch(q, row);
  if ("error" in r) return fail(r.code, r.error);
  if (r.warning) report(ctx, { severity: "warning", code: "mapping/value-format", message: r.warning, field: q.field });
  if (row.note) report(ctx, { severity: "warning", code: "mapping/field-reading", message: `\`${q.field}\` → \`${row.ecs}\`: ${row.note}`, field: q.field });
  return done(r.query);
}

/**
 * The row that maps this node: the first that fits its log source, except that a `listed-values`
 * row whose list lacks the match's value gives way to a later `listed-values` row that lists it.
 */
function rowFor(m: SigmaEcsMapping, q: Query & { field: string }, ls: Logsource | undefined): SigmaEcsField | undefined {
  const rows = findFields(m, q.field, ls);
  const first = rows[0];
  if (first?.transform !== "listed-values" || q.kind !== "match") return first;
  return rows.find((r) => r.transform === "listed-values" && listedValue(r, q) !== undefined) ?? first;
}

/** The listed value a match names exactly (in its case rule), if the row lists it. */
function listedValue(row: SigmaEcsField, q: Extract<Query, { kind: "match" }>): string | undefined {
  const v = q.value;
  const plain = v.kind === "string" && v.parts.length === 1 && v.parts[0]!.kind === "text" ? v.parts[0]!.value : undefined;
  if (plain === undefined) return undefined;
  return Object.keys(row.values ?? {}).find((k) => (q.caseSensitive ? k === plain : k.toLowerCase() === plain.toLowerCase()));
}

type Match = Extract<Query, { kind: "match" }>;
type TransformResult = { query: Query; warning?: string } | { error: string; code: string };

const HASH_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64, imphash: 32 };

function transformMatch(q: Match, row: SigmaEcsField): TransformResult {
  const v = q.value;
  const plain = v.kind === "string" && v.parts.length === 1 && v.parts[0]!.kind === "text" ? v.parts[0]!.value : undefined;
  const at = (field: string, value: Value, caseSensitive = q.caseSensitive): Match => ({ ...q, field, value, caseSensitive });
  const unmapped = (why: string): TransformResult => ({ code: "mapping/value-unmapped", error: `\`${q.field}\` ${why}` });
  switch (row.transform) {
    case "number-as-text":
      if (v.kind === "number") {
        return Number.isInteger(v.value) ? { query: at(row.ecs, text(String(v.value))) } : unmapped(`value ${v.raw} is not an integer, so it has no \`${row.ecs}\` keyword form`);
      }
      return { query: at(row.ecs, v) };
    case "boolean-text": {
      const b = plain?.toLowerCase();
      if (v.kind === "boolean") return { query: at(row.ecs, v) };
      if (b === "true" || b === "false") return { query: at(row.ecs, { kind: "boolean", value: b === "true" }) };
      // Sysmon's placeholders for "no value": an ECS boolean can never hold them, so no event matches.
      if (b === "" || b === "-") {
        return { query: { kind: "none" }, warning: `\`${q.field}\` = "${b}" can never match: ECS \`${row.ecs}\` is a boolean (an event without a value has no \`${row.ecs}\`)` };
      }
      return unmapped(`holds "true" or "false"; ECS \`${row.ecs}\` is a boolean, so only those two values map`);
    }
    case "initiated": {
      const b = v.kind === "boolean" ? String(v.value) : plain?.toLowerCase();
      // Winlogbeat's Sysmon module: Initiated=true → egress (this host opened it), false → ingress.
      return b === "true" || b === "false"
        ? { query: at(row.ecs, text(b === "true" ? "egress" : "ingress"), true) }
        : unmapped(`holds "true" or "false"; only those map to \`${row.ecs}\` egress / ingress`);
    }
    case "registry-details": {
      const dword = v.kind === "string" && v.parts.some((p) => p.kind === "text" && /[DQ]WORD \(/i.test(p.value));
      return {
        query: at(row.ecs, v),
        ...(dword ? { warning: `\`${q.field}\` → \`${row.ecs}\`: Sysmon writes numbers as "DWORD (0x…)" but ECS shippers may store the decoded number, so this match may no longer find them` } : {}),
      };
    }
    case "implied-by-source": {
      const implied = Object.keys(row.values ?? {})[0] ?? "";
      if (plain === undefined) return unmapped(`holds "${implied}" in every event of this log source; only an exact value can be decided`);
      const same = q.caseSensitive ? plain === implied : plain.toLowerCase() === implied.toLowerCase();
      return same
        ? { query: { kind: "all" } }
        : { query: { kind: "none" }, warning: `\`${q.field}\` is "${implied}" in every event of this log source, so "${plain}" never matches` };
    }
    case "value-table": {
      const key = v.kind === "number" || v.kind === "boolean" ? String(v.value) : plain;
      const stored = key === undefined ? undefined : row.values?.[key];
      return stored !== undefined
        ? { query: at(row.ecs, text(stored), true) }
        : unmapped(`is stored in \`${row.ecs}\` under a name; only the exact values its table lists (${Object.keys(row.values ?? {}).slice(0, 4).join(", ")}, …) map`);
    }
    case "listed-values": {
      // Sigma compares case-insensitively unless the rule says |cased: a listed value is found the same way.
      const listed = listedValue(row, q);
      return listed !== undefined
        ? { query: at(row.ecs, v) }
        : { code: "mapping/unmapped-field", error: `field \`${q.field}\` has an ECS name (\`${row.ecs}\`) only for the exact values its row lists (${listedSample(row)}); ${plain === undefined ? "a pattern" : `"${plain}"`} is not one of them` };
    }
    case "prefix-of":
      // Only a whole value is one segment; a pattern could span the separator.
      return plain !== undefined && plain !== "" && !plain.includes(row.separator ?? "/")
        ? { query: at(row.ecs, { kind: "string", parts: [{ kind: "text", value: plain + (row.separator ?? "/") }, { kind: "any" }] }) }
        : { code: "mapping/unmapped-field", error: `field \`${q.field}\` is the first segment of \`${row.ecs}\` (up to "${row.separator ?? "/"}"); only a whole value without it maps` };
    case "nested":
      return { query: { kind: "nested", path: row.path ?? row.ecs, query: at(row.ecs, v) } };
    case "unnamed-insertion":
      return insertionMatch(q, row);
    case "hashes":
      return hashMatch(q, row);
    case "domain-user":
      return domainUser(q, row);
    case undefined:
      return { query: at(row.ecs, v) };
  }
}

function listedSample(row: SigmaEcsField): string {
  const keys = Object.keys(row.values ?? {});
  return keys.slice(0, 3).join(", ") + (keys.length > 3 ? ", …" : "");
}

const INSERTION_SHAPE = { uuid: /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/, integer: /^\d+$/ } as const;

/**
 * An insertion string Winlogbeat names by position, from 1 or from 0 depending on its reader: an
 * exact value of the row's shape is a match on either name. Exact because the string one position
 * off never has that shape (the row's comment says why for its source); anything else (a pattern,
 * a value of another shape) could match the neighbour, so it is refused.
 */
function insertionMatch(q: Match, row: SigmaEcsField): TransformResult {
  const v = q.value;
  const value = v.kind === "number" ? (Number.isInteger(v.value) && v.value >= 0 ? String(v.value) : undefined) : v.kind === "string" && v.parts.length === 1 && v.parts[0]!.kind === "text" ? v.parts[0].value : undefined;
  const shape = row.shape ?? "uuid";
  if (value === undefined || !INSERTION_SHAPE[shape].test(value) || row.also === undefined) {
    return { code: "mapping/value-unmapped", error: `\`${q.field}\` is an unnamed insertion string, named \`${row.ecs}\` or \`${row.also}\` by the Winlogbeat reader; only an exact ${shape === "uuid" ? "UUID" : "whole number"} can be matched on both exactly` };
  }
  const at = (field: string): Match => ({ ...q, field, value: text(value) });
  return { query: { kind: "or", children: [at(row.ecs), at(row.also)] } };
}

/**
 * Sysmon `Hashes` is `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`, so "contains ALG=hex" says exactly that
 * ALG's hash starts with hex (is hex, at full length); ECS keeps one field per algorithm.
 */
function hashMatch(q: Match, row: SigmaEcsField): TransformResult {
  const parts = q.value.kind === "string" ? q.value.parts : [];
  const m = parts.length === 3 && parts[0]!.kind === "any" && parts[2]!.kind === "any" && parts[1]!.kind === "text"
    ? /^(MD5|SHA1|SHA256|IMPHASH)=([0-9A-Fa-f]+)$/i.exec(parts[1].value)
    : null;
  if (!m) {
    return { code: "mapping/value-unmapped", error: `\`${q.field}\` is matched only as "contains ALGORITHM=hex" when mapped to ECS hash fields; this value cannot be split exactly` };
  }
  const alg = m[1]!.toLowerCase();
  const hex = m[2]!;
  const field = alg === "imphash" ? `${row.ecs}.pe.imphash` : `${row.ecs}.hash.${alg}`;
  const value: Part[] = hex.length >= HASH_LENGTH[alg]! ? [{ kind: "text", value: hex }] : [{ kind: "text", value: hex }, { kind: "any" }];
  return { query: { ...q, field, value: { kind: "string", parts: value } } };
}

/**
 * Sysmon `User` is `DOMAIN\name` with exactly one backslash; ECS keeps `<ecs>.domain` and
 * `<ecs>.name`. A pattern splits exactly at its one backslash; without one, "contains" lies wholly
 * in one part (either), "starts with" in the domain, "ends with" in the name.
 */
function domainUser(q: Match, row: SigmaEcsField): TransformResult {
  const domain = `${row.ecs}.domain`;
  const name = `${row.ecs}.name`;
  const parts = q.value.kind === "string" ? q.value.parts : undefined;
  const fail = (why: string): TransformResult => ({ code: "mapping/value-unmapped", error: `\`${q.field}\` (DOMAIN\\name) is split into \`${domain}\` and \`${name}\` in ECS; ${why}` });
  if (!parts) return fail("only string values can be split");
  const at = (field: string, ps: readonly Part[]): Query | undefined =>
    ps.length === 0 || (ps.length === 1 && ps[0]!.kind === "any") ? undefined : { ...q, field, value: { kind: "string", parts: ps } };
  const slashes = parts.flatMap((p, i) => (p.kind === "text" ? [...p.value].flatMap((c, j) => (c === "\\" ? [[i, j] as const] : [])) : []));
  if (slashes.length > 1) return fail("this value has more than one backslash");
  if (slashes.length === 1) {
    const [i, j] = slashes[0]!;
    const t = parts[i] as { kind: "text"; value: string };
    const before = [...parts.slice(0, i), ...(j > 0 ? [{ kind: "text", value: t.value.slice(0, j) } as Part] : [])];
    const after = [...(j + 1 < t.value.length ? [{ kind: "text", value: t.value.slice(j + 1) } as Part] : []), ...parts.slice(i + 1)];
    if (before.length === 0 || after.length === 0) return fail("an empty domain or name part cannot be matched exactly");
    const both = [at(domain, before), at(name, after)].filter((x): x is Query => x !== undefined);
    if (both.length === 0) return { query: { kind: "exists", field: name } };
    return { query: both.length === 1 ? both[0]! : { kind: "and", children: both } };
  }
  if (parts.every((p) => p.kind === "any")) return { query: { ...q, field: name } };
  const first = parts[0]?.kind === "any";
  const last = parts[parts.length - 1]?.kind === "any";
  if (first && last) return { query: { kind: "or", children: [at(domain, parts)!, at(name, parts)!] } };
  if (last) return { query: at(domain, parts)! };
  if (first) return { query: at(name, parts)! };
  return fail("a value without a backslash that is not a contains/startswith/endswith pattern would change meaning");
}

function existsField(row: SigmaEcsField): string | undefined {
  if (row.transform === "hashes" || row.transform === "unnamed-insertion") return undefined;
  return row.transform === "domain-user" ? `${row.ecs}.name` : row.ecs;
}

/** Renames a single field name (group-by, join key, alias) by the same table, reporting as mapFields does. */
function renameOne(ctx: Ctx, field: string, ls: Logsource | undefined, construct: string): string {
  if (ctx.ecsNames) return field;
  const row = findField(ctx.mapping, field, ls);
  if (row?.transform && row.transform !== "number-as-text" && row.transform !== "registry-details") {
    report(ctx, {
      severity: "error",
      code: "mapping/transform-unsupported",
      message: `\`${field}\` maps to \`${row.ecs}\` by a ${row.transform} transform, which a ${construct} cannot use`,
      field,
    });
    return field;
  }
  const ready = new Set<string>();
  const probe: Query = row?.transform ? { kind: "exists", field: row.ecs } : { kind: "exists", field };
  if (row?.transform) ready.add(row.ecs);
  const mapped = mapFields(probe, fieldMappingFor(ctx.mapping, ls, ready));
  mapped.problems.forEach((p) => report(ctx, p));
  return mapped.query.kind === "exists" ? mapped.query.field : field;
}

function collectFields(q: Query, into: Set<string>): void {
  if (q.kind === "and" || q.kind === "or") q.children.forEach((c) => collectFields(c, into));
  else if (q.kind === "not") collectFields(q.child, into);
  else if (q.kind === "nested") {
    into.add(q.path);
    collectFields(q.query, into);
  }
  else if ("field" in q && typeof q.field === "string") into.add(q.field);
}

function report(ctx: Ctx, p: MappingProblem): void {
  if (!ctx.problems.some((x) => x.code === p.code && x.field === p.field && x.message === p.message)) ctx.problems.push(p);
}

function describe(ls: Logsource | undefined): string {
  return ls ? Object.entries(ls).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
}

function text(value: string): Value {
  return { kind: "string", parts: [{ kind: "text", value }] };
}
