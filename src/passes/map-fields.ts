/**
 * mapFields: renames every field of a query from one taxonomy to another, transforming values
 * where the two taxonomies store them differently. Pure IR → IR; every field it cannot map, and
 * every transform that changes what matches, is reported, never passed through silently.
 */
import { assertNever, type Expr, type Part, type Query, type SequenceStep, type Value } from "../ir/query.js";
import type { FieldMapping, FieldRow } from "../mapping/mapping-table.js";

export interface MappingProblem {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

export interface MapResult {
  readonly query: Query;
  readonly problems: readonly MappingProblem[];
}

export interface MapOptions {
  /** Path separator(s) for `basename` transforms: Windows `\`, Unix `/`, both when unknown. */
  readonly product?: string;
  /**
   * The mapping for one sequence or sample step, when steps read different log sources (a process
   * step, then a network step): each step's fields are renamed as its own events name them.
   * Absent, or the same table, the query's mapping renames every step.
   */
  readonly stepMapping?: (step: SequenceStep) => FieldMapping;
}

/** Renames the fields of `query` with `mapping`. */
export function mapFields(query: Query, mapping: FieldMapping, opts: MapOptions = {}): MapResult {
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  const report = (p: MappingProblem) => {
    const key = `${p.code}:${p.field}:${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  };
  const separators = opts.product === "windows" ? ["\\"] : opts.product === "linux" || opts.product === "macos" ? ["/"] : ["\\", "/"];

  const row = (field: string): FieldRow | undefined => {
    const prefix = mapping.prefixes?.find((p) => field.startsWith(p.from) && field.length > p.from.length && !field.slice(p.from.length).includes("."));
    const r = mapping.fields.get(field) ?? (prefix ? { from: field, to: prefix.to + field.slice(prefix.from.length), value: "same" as const } : undefined);
    if (!r) {
      report({
        severity: "error",
        code: "mapping/unmapped-field",
        message: `field \`${field}\` has no ${mapping.to} equivalent in mapping ${mapping.name}`,
        field,
      });
    }
    return r;
  };
  /** Rename only: a field whose value transform cannot apply to this construct is an error. */
  const rename = (field: string, construct: string): string => {
    const r = row(field);
    if (!r) return field;
    if (r.value !== "same") {
      report({
        severity: "error",
        code: "mapping/transform-unsupported",
        message: `\`${field}\` maps to \`${r.to}\` by a ${r.value} transform, which a ${construct} cannot use`,
        field,
      });
    }
    return r.to;
  };

  const mapMatch = (q: Extract<Query, { kind: "match" }>): Query => {
    const r = row(q.field);
    if (!r) return q;
    const withValue = (value: Value): Query => ({ ...q, field: r.to, value });
    // A value table says which source values are which target values, not when either is absent.
    if (r.value === "value-table" && q.value.kind === "null") {
      report({
        severity: "error",
        code: "mapping/transform-unsupported",
        message: `\`${q.field}\` maps to \`${r.to}\` by a value table, which cannot say where \`${q.field}\` is absent`,
        field: q.field,
      });
      return q;
    }
    if (r.value === "dirname") return dirname(q, r.to, report);
    if (r.value === "same" || q.value.kind === "null") return withValue(q.value);
    if (q.value.kind !== "string") {
      report({
        severity: "error",
        code: "mapping/transform-unsupported",
        message: `\`${q.field}\` maps by a ${r.value} transform, which needs a string value`,
        field: q.field,
      });
      return q;
    }
    const parts = q.value.parts;
    switch (r.value) {
      case "basename": {
        const inner = parts.slice(parts[0]?.kind === "any" ? 1 : 0);
        if (inner.some((p) => p.kind !== "text")) {
          report({
            severity: "warning",
            code: "mapping/widened",
            message: `\`${q.field}\` → \`${r.to}\`: a wildcard inside a file name can also match directory separators, so the mapped query matches more`,
            field: q.field,
          });
        }
        const variants = separators.map((sep): Query => withValue(str([{ kind: "any" }, { kind: "text", value: sep }, ...inner])));
        return variants.length === 1 ? variants[0]! : { kind: "or", children: variants, ...(q.span ? { span: q.span } : {}) };
      }
      case "contains-token":
        report({
          severity: "warning",
          code: "mapping/widened",
          message: `\`${q.field}\` (one argument) → \`${r.to}\` (whole command line): matched as a substring, so the mapped query matches more`,
          field: q.field,
        });
        return withValue(str([{ kind: "any" }, ...parts, { kind: "any" }]));
      case "extension":
        return withValue(str([{ kind: "any" }, { kind: "text", value: "." }, ...parts]));
      case "direction-initiated": {
        const text = parts.length === 1 && parts[0]?.kind === "text" ? parts[0].value.toLowerCase() : "";
        // Elastic Defend on Windows writes the host's side as outgoing/incoming, as it names the
        // same two kinds of connection connection_attempted/connection_accepted (ecs-sigma.yaml).
        const initiated = OPENED.has(text) ? "true" : ACCEPTED.has(text) ? "false" : undefined;
        if (initiated === undefined) {
          report({
            severity: "error",
            code: "mapping/value-unmapped",
            message: `\`${q.field}\` value has no \`${r.to}\` equivalent (only egress/outbound/outgoing and ingress/inbound/incoming do)`,
            field: q.field,
          });
          return q;
        }
        return { ...q, field: r.to, value: str([{ kind: "text", value: initiated }]), caseSensitive: false };
      }
      case "value-table": {
        // Only a whole value can be looked up: a pattern could match names the table never lists.
        const text = parts.length === 1 && parts[0]?.kind === "text" ? parts[0].value : undefined;
        const mapped = text === undefined ? undefined : r.values?.[text.toLowerCase()];
        if (!mapped) {
          report({
            severity: "error",
            code: "mapping/value-unmapped",
            message: `\`${q.field}\` value ${text === undefined ? "pattern" : `"${text}"`} has no \`${r.to}\` equivalent (the table lists ${Object.keys(r.values ?? {}).length} whole values)`,
            field: q.field,
          });
          return q;
        }
        // The search name stays on the node that stands for the whole match.
        const { search, ...base } = q;
        const named = search === undefined ? {} : { search };
        const to = (field: string, value: string): Query => ({ ...base, field, value: str([{ kind: "text", value }]), caseSensitive: false });
        const also = Object.entries(r.also ?? {}).map(([f, v]) => to(f, v));
        if (mapped.length === 1 && also.length === 0) return { ...to(r.to, mapped[0]!), ...named };
        const one: Query = mapped.length === 1 ? to(r.to, mapped[0]!) : { kind: "or", children: mapped.map((v) => to(r.to, v)) };
        return also.length === 0 ? { ...(one as Extract<Query, { kind: "or" }>), ...named } : { kind: "and", children: [one, ...also], ...(q.span ? { span: q.span } : {}), ...named };
      }
    }
  };

  const mapExpr = (e: Expr): Expr => {
    switch (e.kind) {
      case "field":
        return { ...e, field: rename(e.field, "function argument") };
      case "literal":
        return e;
      case "call":
        return { ...e, args: e.args.map(mapExpr) };
      case "arith":
        return { ...e, left: mapExpr(e.left), right: mapExpr(e.right) };
      default:
        return assertNever(e);
    }
  };

  /**
   * The sequence-wide join keys: one name for every step. When steps are renamed with their own
   * tables, a key one step's events name differently would join nothing, so that is an error.
   */
  /** A step renamed with its own table: the same path separators, no further per-step tables. */
  const ownOpts: MapOptions = opts.product ? { product: opts.product } : {};
  const sharedKeys = (by: readonly string[], steps: readonly SequenceStep[]): string[] => {
    const keys = by.map((k) => rename(k, "join key"));
    for (const s of steps) {
      const own = opts.stepMapping?.(s);
      if (!own || own === mapping) continue;
      const r = mapFields({ kind: "sample", by, steps: [] }, own, ownOpts);
      r.problems.forEach(report);
      const theirs = r.query.kind === "sample" ? r.query.by : by;
      by.forEach((k, i) => {
        if (theirs[i] !== keys[i]) {
          report({
            severity: "error",
            code: "mapping/join-key-differs",
            message: `join key \`${k}\` is \`${keys[i]}\` in one step's events and \`${theirs[i]}\` in another's, so one name would join nothing`,
            field: k,
          });
        }
      });
    }
    return keys;
  };
  const mapStep = (s: SequenceStep): SequenceStep => {
    const own = opts.stepMapping?.(s);
    if (own && own !== mapping) {
      const r = mapFields({ kind: "sample", by: [], steps: [s] }, own, ownOpts);
      r.problems.forEach(report);
      return r.query.kind === "sample" ? r.query.steps[0]! : s;
    }
    return { ...s, query: walk(s.query), by: s.by.map((k) => rename(k, "join key")) };
  };

  function walk(q: Query): Query {
    switch (q.kind) {
      case "and":
      case "or":
        return { ...q, children: q.children.map(walk) };
      case "not":
        return { ...q, child: walk(q.child) };
      case "all":
      case "none":
      case "keyword":
      case "opaque":
        return q;
      case "match":
        return mapMatch(q);
      case "exists": {
        // A file name exists exactly when the path holding it does; a value table's target field
        // may exist on events whose source value the table does not list.
        const r = row(q.field);
        if (r?.value === "value-table") return { ...q, field: rename(q.field, "field-exists test") };
        if (r?.value === "dirname") return hasDirectory(q, r.to);
        return r ? { ...q, field: r.to } : q;
      }
      case "range":
        return { ...q, field: rename(q.field, "range") };
      case "regex":
        return { ...q, field: rename(q.field, "regular expression") };
      case "cidr":
        return { ...q, field: rename(q.field, "CIDR match") };
      case "fieldref":
        return { ...q, field: rename(q.field, "field reference"), other: rename(q.other, "field reference") };
      case "compare":
        return { ...q, left: mapExpr(q.left), right: mapExpr(q.right) };
      case "predicate":
        return { ...q, expr: mapExpr(q.expr) };
      case "nested":
        return { ...q, path: rename(q.path, "nested query"), query: walk(q.query) };
      case "sequence":
        return {
          ...q,
          by: sharedKeys(q.by, [...q.steps, ...(q.until ? [q.until] : [])]),
          steps: q.steps.map(mapStep),
          ...(q.until ? { until: mapStep(q.until) } : {}),
        };
      case "sample":
        return { ...q, by: sharedKeys(q.by, q.steps), steps: q.steps.map(mapStep) };
      case "correlation":
        return {
          ...q,
          groupBy: q.groupBy.map((k) => rename(k, "group-by")),
          rules: q.rules.map((r) => ({
            ...r,
            query: walk(r.query),
            ...(r.aliases ? { aliases: Object.fromEntries(Object.entries(r.aliases).map(([g, f]) => [rename(g, "group-by"), rename(f, "group-by")])) } : {}),
          })),
          ...(q.valueField ? { valueField: rename(q.valueField, "value count") } : {}),
          ...(q.extraMeasures
            ? { extraMeasures: q.extraMeasures.map((m) => ({ ...m, ...(m.valueField ? { valueField: rename(m.valueField, "value count") } : {}), ...(m.filter ? { filter: walk(m.filter) } : {}) })) }
            : {}),
          ...(q.anyOf
            ? { anyOf: q.anyOf.map((set) => set.map((m) => ({ ...m, ...(m.valueField ? { valueField: rename(m.valueField, "value count") } : {}), ...(m.filter ? { filter: walk(m.filter) } : {}) }))) }
            : {}),
        };
      case "newTerms":
        return { ...q, query: walk(q.query), fields: q.fields.map((k) => rename(k, "new-terms field")) };
      case "pipe":
        return { ...q, input: walk(q.input) };
      default:
        return assertNever(q);
    }
  }

  return { query: walk(query), problems };
}

/** network.direction values for a connection the host opened (Sysmon Initiated "true"), and one it accepted. */
const OPENED: ReadonlySet<string> = new Set(["egress", "outbound", "outgoing"]);
const ACCEPTED: ReadonlySet<string> = new Set(["ingress", "inbound", "incoming"]);

function str(parts: readonly Part[]): Value {
  return { kind: "string", parts };
}

const BACKSLASH: Part = { kind: "text", value: "\\" };

/**
 * A directory condition on the path it was cut from. Elastic's powershell_operational pipeline
 * ("Adds file information") sets file.directory to what precedes the last `\` of a path longer than
 * one character, and no directory otherwise. So directory D is the path `D\name` with no `\` in
 * the name: `D\*` and not `D\*\*`; a directory starting with P (`P*`, P not empty) is a path
 * starting with P with a `\` after it: `P*\*`. A wildcard elsewhere could take the place of a `\`
 * of the name, so it is refused rather than matching another directory's files.
 */
function dirname(q: Extract<Query, { kind: "match" }>, to: string, report: (p: MappingProblem) => void): Query {
  const { search, ...base } = q;
  const named = search === undefined ? {} : { search };
  const at = (parts: readonly Part[]): Query => ({ ...base, field: to, value: str(parts) });
  if (q.value.kind === "null") {
    // No directory: no path, a path without `\`, or the path `\` alone.
    const noSep: Query = { kind: "not", child: at([{ kind: "any" }, BACKSLASH, { kind: "any" }]) };
    return { kind: "or", children: [noSep, { ...base, field: to, value: str([BACKSLASH]), caseSensitive: true }], ...(q.span ? { span: q.span } : {}), ...named };
  }
  const parts = q.value.kind === "string" ? q.value.parts : undefined;
  const text = parts?.every((p) => p.kind === "text") ? parts : undefined;
  const prefix = parts && parts.length > 1 && parts[parts.length - 1]!.kind === "any" && parts.slice(0, -1).every((p) => p.kind === "text") ? parts.slice(0, -1) : undefined;
  if (text) {
    const inDir = at([...text, BACKSLASH, { kind: "any" }]);
    const deeper: Query = { kind: "not", child: at([...text, BACKSLASH, { kind: "any" }, BACKSLASH, { kind: "any" }]) };
    return { kind: "and", children: [inDir, deeper], ...(q.span ? { span: q.span } : {}), ...named };
  }
  if (prefix) return { ...at([...prefix, { kind: "any" }, BACKSLASH, { kind: "any" }]), ...named };
  report({
    severity: "error",
    code: "mapping/transform-unsupported",
    message: `\`${q.field}\` (a directory) maps to \`${to}\` (its path) only for a whole value or one ending in \`*\`: another wildcard could stand for a \`\\\` of the file name`,
    field: q.field,
  });
  return q;
}

/** The directory exists: the path has a `\` and is not `\` alone (see dirname). */
function hasDirectory(q: Extract<Query, { kind: "exists" }>, to: string): Query {
  const sep: Query = { kind: "match", field: to, value: str([{ kind: "any" }, BACKSLASH, { kind: "any" }]), caseSensitive: true };
  const root: Query = { kind: "not", child: { kind: "match", field: to, value: str([BACKSLASH]), caseSensitive: true } };
  return { kind: "and", children: [sep, root], ...(q.span ? { span: q.span } : {}), ...(q.search ? { search: q.search } : {}) };
}
