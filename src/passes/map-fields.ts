/**
 * mapFields: renames every field of a query from one taxonomy to another, transforming values
 * where the two taxonomies store them differently. Pure IR → IR; every field it cannot map, and
 * every transform that changes what matches, is reported, never passed through silently.
 */
import { assertNever, type Expr, type Part, type Query, type SequenceStep, type Value } from "../ir/query.js";
import { renameExprFields } from "../ir/query-fields.js";
import type { FieldMapping, FieldRow, ValueTransform } from "../mapping/mapping-table.js";
import { argCountQuery } from "./arg-count.js";
import { dirname, hasDirectory } from "./directory-transform.js";
import { countsUpward, FLIP, type Polarity } from "./match-polarity.js";
import { widenedRegex } from "./widened-regex.js";
import { mapMeasures } from "../ir/correlation-measures.js";

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
  /** How a match of `query` counts for the rule: it is part of a larger query (a step under a NOT). */
  readonly polarity?: Polarity;
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
  /** The top-level conjuncts of the search being renamed (a `value-conditions` row's `unless` reads them). */
  let context: readonly Query[] = [];
  let polarity: Polarity = opts.polarity ?? "positive";
  /** `f` with the nodes it renames counting `p` for the rule. */
  const counting = <T>(p: Polarity, f: () => T): T => {
    const outer = polarity;
    polarity = p;
    const out = f();
    polarity = outer;
    return out;
  };
  const inSearch = (q: Query): Query => {
    const outer = context;
    context = conjunctsOf(q);
    const out = walk(q);
    context = outer;
    return out;
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
    if (r.value === "key-only") return renameKey(field, r, construct);
    // A row that holds only as a condition on other fields names no field for anything else: the
    // field is as unmapped here as it was before the row (so `--unmapped` decides, as it did).
    if (PATTERN_ONLY.has(r.value)) {
      report({
        severity: "error",
        code: "mapping/unmapped-field",
        message: `field \`${field}\` has no ${mapping.to} equivalent a ${construct} can use in mapping ${mapping.name} (it maps to \`${r.to}\` only as a condition)`,
        field,
      });
      return field;
    }
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

  /**
   * A `key-only` row: a join key or group-by field is renamed, with a warning that the key is the
   * host by another name; anything else (a value, a presence test) has no name in the target.
   */
  const renameKey = (field: string, r: FieldRow, construct: string): string => {
    if (!KEY_CONSTRUCTS.has(construct)) {
      report({
        severity: "error",
        code: "mapping/unmapped-field",
        message: `field \`${field}\` has no ${mapping.to} equivalent a ${construct} can use in mapping ${mapping.name} (it maps to \`${r.to}\` only as a join key or group-by: the two hold different values)`,
        field,
      });
      return field;
    }
    report({
      severity: "warning",
      code: "mapping/widened",
      message: `${construct} \`${field}\` → \`${r.to}\`: both name the host, \`${r.to}\` by its name, so events of hosts that share a name are ${construct === "join key" ? "joined" : "counted together"}`,
      field,
    });
    return r.to;
  };

  // A match made wider widens the rule only where the match counts for it: under a NOT (or in a
  // missing step) the rule excludes more and matches less, which the warning must say.
  const widerMatch = (field: string, what: string): MappingProblem =>
    polarity === "positive"
      ? { severity: "warning", code: "mapping/widened", message: `${what}, so the mapped query matches more`, field }
      : polarity === "negative"
        ? { severity: "warning", code: "mapping/narrowed", message: `${what}; the match is an exclusion here (under a NOT or in a missing step), so it excludes more and the mapped query matches less`, field }
        : { severity: "warning", code: "mapping/narrowed", message: `${what}; the match is counted against an upper bound here, so the mapped query may match more or less`, field };

  const mapMatch = (q: Extract<Query, { kind: "match" }>): Query => {
    const r = row(q.field);
    if (!r) return q;
    if (r.value === "key-only") {
      renameKey(q.field, r, "condition");
      return q;
    }
    if (r.value === "arg-count") {
      report({ severity: "error", code: "mapping/transform-unsupported", message: `\`${q.field}\` maps to \`${r.to}\` by an arg-count transform, which says a lower bound only (an argument may hold blanks): an exact count or its absence cannot be said`, field: q.field });
      return q;
    }
    const withValue = (value: Value): Query => ({ ...q, field: r.to, value });
    // A value table says which source values are which target values, not when either is absent;
    // an account's domain or an outcome is no more said by the absence of what it maps to, nor an
    // extension or one argument by the absence of the path or command line they are part of (a
    // file without an extension has a path: `TargetFilename: null` would match no such file).
    if (ABSENCE_UNSAID.has(r.value) && q.value.kind === "null") {
      report({
        severity: "error",
        code: "mapping/transform-unsupported",
        message: `\`${q.field}\` maps to \`${r.to}\` by a ${r.value === "value-table" || r.value === "value-conditions" ? "value table" : r.value} transform, which cannot say where \`${q.field}\` is absent`,
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
          report(widerMatch(q.field, `\`${q.field}\` → \`${r.to}\`: a wildcard inside a file name can also match directory separators`));
        }
        // A name that may begin anywhere (`*foo.exe`) is a path that ends with the rest of it: the
        // rest holds no separator, so it cannot reach back past the name. Only a name that begins
        // the last component needs the separator before it.
        if (inner.length < parts.length) return withValue(str(parts));
        const variants = separators.map((sep): Query => withValue(str([{ kind: "any" }, { kind: "text", value: sep }, ...inner])));
        return variants.length === 1 ? variants[0]! : { kind: "or", children: variants, ...(q.span ? { span: q.span } : {}) };
      }
      case "contains-token":
        report(widerMatch(q.field, `\`${q.field}\` (one argument) → \`${r.to}\` (whole command line): matched as a substring`));
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
      case "account-domain": {
        // The account is the domain, one backslash and a name: a domain pattern without a backslash
        // of its own meets the account's only backslash at its end.
        if (parts.length === 0 || parts.some((p) => p.kind === "text" && p.value.includes("\\"))) {
          report({ severity: "error", code: "mapping/value-unmapped", message: `\`${q.field}\` value with a backslash or none at all has no \`${r.to}\` (DOMAIN\\name) pattern`, field: q.field });
          return q;
        }
        return withValue(str([...parts, { kind: "text", value: "\\" }, { kind: "any" }]));
      }
      case "value-conditions": {
        const text = parts.length === 1 && parts[0]?.kind === "text" ? parts[0].value : undefined;
        const key = text?.toLowerCase();
        // The pipeline writes one spelling; a case-sensitive match on another matches no event.
        const test = key === undefined || (q.caseSensitive && key !== text) ? undefined : r.conditions?.[key];
        const unheld = Object.entries(r.unless ?? {}).find(([f, vs]) => !conjunctExcludes(context, f, vs));
        if (!test || unheld) {
          report({
            severity: "error",
            code: "mapping/value-unmapped",
            message: !test
              ? `\`${q.field}\` value ${text === undefined ? "pattern" : `"${text}"`} has no \`${r.to}\` equivalent (the table lists ${Object.keys(r.conditions ?? {}).join(", ")})`
              : `\`${q.field}\` says what \`${r.to}\` does only where \`${unheld![0]}\` is none of ${unheld![1].join(", ")}, which no top-level condition of the search says`,
            field: q.field,
          });
          return q;
        }
        const { search } = q;
        const named = search === undefined ? {} : { search };
        const span = q.span ? { span: q.span } : {};
        if ("absent" in test) {
          const each = test.absent.map((f): Query => ({ kind: "match", field: f, value: { kind: "null" }, caseSensitive: false }));
          return each.length === 1 ? { ...each[0]!, ...named } : { kind: "and", children: each, ...span, ...named };
        }
        const each = test.present.map((f): Query => ({ kind: "exists", field: f }));
        return each.length === 1 ? { ...each[0]!, ...named } : { kind: "or", children: each, ...span, ...named };
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
        // Some of the target's spellings of the value (an account's name in some languages): the
        // mapped match may miss events, which widens the rule only where the match counts against it.
        if (r.someSpellings) {
          // A case-sensitive match on another spelling than the events' matched nothing.
          if (polarity !== "negative" || (q.caseSensitive && !r.spelled?.includes(text!))) {
            report({
              severity: "error",
              code: "mapping/value-unmapped",
              message:
                polarity !== "negative"
                  ? `\`${q.field}\` value "${text}" → \`${r.to}\`: the table lists some of the names the events give it, not every language's, so a mapped match would miss events; it is said only where that widens the rule (under a NOT)`
                  : `\`${q.field}\` value "${text}" is matched case-sensitively, but the events spell it ${r.spelled?.find((k) => k.toLowerCase() === text!.toLowerCase())}: the match is of no event, which \`${r.to}\` cannot say`,
              field: q.field,
            });
            return q;
          }
          report({
            severity: "warning",
            code: "mapping/widened",
            message: `\`${q.field}\` value "${text}" → \`${r.to}\` ${mapped.map((v) => `"${v}"`).join(", ")}: an event giving it a name in another language is not excluded, so the mapped query matches more`,
            field: q.field,
          });
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

  /**
   * A regular expression on a field that is part of another (an argument of the command line, a
   * name of the path): the same expression searched in the whole (widened-regex.ts), which matches
   * more, so only where a match counts for the rule; refused elsewhere, and for PCRE.
   */
  const mapRegex = (q: Extract<Query, { kind: "regex" }>): Query => {
    const r = row(q.field);
    if (!r) return q;
    if (WIDENED_PART[r.value] === undefined) return { ...q, field: rename(q.field, "regular expression") };
    const pattern = q.dialect === "lucene" && polarity === "positive" ? widenedRegex(r.value, q.pattern, separators) : undefined;
    if (pattern === undefined) {
      const why =
        q.dialect === "lucene"
          ? `which a regular expression can use only where a match counts for the rule: ${polarity === "negative" ? "under a NOT" : "counted either way"}, searching the whole would match less`
          : "which a PCRE expression (searched anywhere, its anchors at the value's edges) cannot use";
      report({ severity: "error", code: "mapping/transform-unsupported", message: `\`${q.field}\` maps to \`${r.to}\` by a ${r.value} transform, ${why}`, field: q.field });
      return q;
    }
    report({
      severity: "warning",
      code: "mapping/widened",
      message: `\`${q.field}\` regular expression → \`${r.to}\`: ${WIDENED_PART[r.value]}, so the expression can also match across its edges and the mapped query matches more`,
      field: q.field,
    });
    return { ...q, field: r.to, pattern };
  };

  /** A lower bound on an argument count, where a match counts for the rule: blanks in the command line (arg-count.ts). */
  const mapArgCount = (q: Extract<Query, { kind: "range" }>, r: FieldRow): Query => {
    const said = argCountQuery(q, r.to);
    const why = "reason" in said ? said.reason : polarity !== "positive" ? `and only where a match counts for the rule (${polarity === "negative" ? "here under a NOT" : "here counted either way"})` : undefined;
    if (why !== undefined || "reason" in said) {
      report({ severity: "error", code: "mapping/transform-unsupported", message: `\`${q.field}\` maps to \`${r.to}\` by an arg-count transform: ${why}`, field: q.field });
      return q;
    }
    report({
      severity: "warning",
      code: "mapping/widened",
      message: `\`${q.field}\` of at least ${said.atLeast} → \`${r.to}\` with at least ${said.atLeast - 1} blanks: an argument may hold blanks of its own, so the mapped query matches more`,
      field: q.field,
    });
    return said.query;
  };

  const mapExpr = (e: Expr): Expr => renameExprFields(e, (field) => rename(field, "function argument"));

  /**
   * The sequence-wide join keys: one name for every step. When steps are renamed with their own
   * tables, a key one step's events name differently would join nothing, so that is an error.
   */
  /** A step renamed with its own table: the same path separators, no further per-step tables. */
  const ownOpts = (): MapOptions => ({ ...(opts.product ? { product: opts.product } : {}), polarity });
  const sharedKeys = (by: readonly string[], steps: readonly SequenceStep[]): string[] => {
    const keys = by.map((k) => rename(k, "join key"));
    for (const s of steps) {
      const own = opts.stepMapping?.(s);
      if (!own || own === mapping) continue;
      const r = mapFields({ kind: "sample", by, steps: [] }, own, ownOpts());
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
  /** A step: one that must be missing (or ends the sequence, `until`) counts against the match. */
  const mapStep = (s: SequenceStep, until = false): SequenceStep =>
    counting(s.missing || until ? FLIP[polarity] : polarity, () => {
      const own = opts.stepMapping?.(s);
      if (own && own !== mapping) {
        const r = mapFields({ kind: "sample", by: [], steps: [s] }, own, ownOpts());
        r.problems.forEach(report);
        return r.query.kind === "sample" ? r.query.steps[0]! : s;
      }
      return { ...s, query: inSearch(s.query), by: s.by.map((k) => rename(k, "join key")) };
    });

  function walk(q: Query): Query {
    switch (q.kind) {
      case "and":
      case "or":
        return { ...q, children: q.children.map(walk) };
      case "not":
        return { ...q, child: counting(FLIP[polarity], () => walk(q.child)) };
      case "all":
      case "none":
      case "keyword":
      case "opaque":
        return q;
      case "match":
        return mapMatch(q);
      case "exists": {
        // A file name exists exactly when the path holding it does; a value table's target field
        // may exist on events whose source value the table does not list, a path without the
        // directory the pipeline cuts from it, an account without its domain part, and the error
        // fields on events of any outcome.
        const r = row(q.field);
        if (r?.value === "dirname") return hasDirectory(q, r.to);
        // A path exists on files without an extension too.
        if (r?.value === "value-table" || r?.value === "extension" || r?.value === "key-only" || r?.value === "arg-count" || (r && PATTERN_ONLY.has(r.value))) return { ...q, field: rename(q.field, "field-exists test") };
        return r ? { ...q, field: r.to } : q;
      }
      case "range": {
        const r = row(q.field);
        return r?.value === "arg-count" ? mapArgCount(q, r) : { ...q, field: rename(q.field, "range") };
      }
      case "regex":
        return mapRegex(q);
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
          steps: q.steps.map((s) => mapStep(s)),
          ...(q.until ? { until: mapStep(q.until, true) } : {}),
        };
      case "sample":
        return { ...q, by: sharedKeys(q.by, q.steps), steps: q.steps.map((s) => mapStep(s)) };
      case "correlation":
        return counting(countsUpward(q) ? polarity : "both", () => ({
          ...q,
          groupBy: q.groupBy.map((k) => rename(k, "group-by")),
          rules: q.rules.map((r) => ({
            ...r,
            query: inSearch(r.query),
            ...(r.aliases ? { aliases: Object.fromEntries(Object.entries(r.aliases).map(([g, f]) => [rename(g, "group-by"), rename(f, "group-by")])) } : {}),
          })),
          ...(q.valueField ? { valueField: rename(q.valueField, "value count") } : {}),
          ...mapMeasures(q, (m) => ({
            ...m,
            ...(m.valueField ? { valueField: rename(m.valueField, "value count") } : {}),
            ...(m.valueFallbacks ? { valueFallbacks: m.valueFallbacks.map((f) => rename(f, "value count")) } : {}),
            ...(m.filter ? { filter: walk(m.filter) } : {}),
          })),
        }));
      // More matches in the window can also be more in the history a term must be new against, or other first/last events.
      case "newTerms":
        return counting("both", () => ({ ...q, query: inSearch(q.query), fields: q.fields.map((k) => rename(k, "new-terms field")) }));
      case "pipe":
        return { ...q, input: counting("both", () => walk(q.input)) };
      default:
        return assertNever(q);
    }
  }

  return { query: inSearch(query), problems };
}

/** What a `key-only` row renames: fields whose values are only compared with each other. */
const KEY_CONSTRUCTS: ReadonlySet<string> = new Set(["join key", "group-by"]);

/** For a widened regular expression's warning: how the part sits in the whole. */
const WIDENED_PART: Partial<Readonly<Record<ValueTransform, string>>> = {
  "contains-token": "one argument is a substring of the whole command line",
  basename: "a name is the last component of the path",
  extension: "an extension ends the path, after a dot",
};

/**
 * Transforms whose target field can be present where the source field is absent: a null (absence)
 * test cannot be renamed. A name is present exactly when its path is (the pipelines cut it from the
 * path), so `basename` is not one of them.
 */
const ABSENCE_UNSAID: ReadonlySet<string> = new Set(["value-table", "value-conditions", "account-domain", "extension", "contains-token"]);

/** Transforms that say a value as a condition on other fields, never a field: a directory as a path pattern, an outcome as error fields' presence. */
const PATTERN_ONLY: ReadonlySet<string> = new Set(["dirname", "account-domain", "value-conditions"]);

/** A query's top-level conjuncts (nested ANDs are more of them). */
function conjunctsOf(q: Query): Query[] {
  return q.kind === "and" ? q.children.flatMap(conjunctsOf) : [q];
}

/**
 * Some conjunct allows `field` only whole text values, none of them one of `excluded` (lower case):
 * `event.action:(StopDBCluster or StopDBInstance)` keeps ConsoleLogin out.
 */
function conjunctExcludes(conjuncts: readonly Query[], field: string, excluded: readonly string[]): boolean {
  return conjuncts.some((c) => {
    const alts = c.kind === "or" ? c.children : [c];
    return alts.every((a) => {
      if (a.kind !== "match" || a.field !== field || a.value.kind !== "string") return false;
      const [p, ...more] = a.value.parts;
      return more.length === 0 && p?.kind === "text" && !excluded.includes(p.value.toLowerCase());
    });
  });
}

/** network.direction values for a connection the host opened (Sysmon Initiated "true"), and one it accepted. */
const OPENED: ReadonlySet<string> = new Set(["egress", "outbound", "outgoing"]);
const ACCEPTED: ReadonlySet<string> = new Set(["ingress", "inbound", "incoming"]);

function str(parts: readonly Part[]): Value {
  return { kind: "string", parts };
}
