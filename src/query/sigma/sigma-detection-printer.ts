/**
 * IR boolean query → Sigma `detection` block: search identifiers (maps = AND, lists = OR) and a
 * condition. Leaves that can share a map are merged; everything else is combined in the condition
 * with parentheses from Sigma's precedence (or < and < not), always around an `or` inside an `and`.
 * A node that was a named search in a Sigma rule (IR `search`) is written as one search under that
 * name again when it still fits one (a map, a list of maps or keywords), and is merged with nothing.
 */
import { assertNever, type Expr, type Query, type Value } from "../../ir/query.js";
import type { PrintIssue } from "../print-result.js";
import { luceneToPcre } from "../regex/lucene-to-pcre.js";
import { sigmaString } from "./sigma-string.js";

type Scalar = string | number | boolean | null;

/** One `key: value(s)` line of a search map; a list of values is an OR. */
interface Entry {
  readonly key: string;
  readonly values: readonly Scalar[];
}

type Cond =
  | { readonly kind: "map"; readonly entries: readonly Entry[]; readonly name?: string }
  | { readonly kind: "keywords"; readonly values: readonly Scalar[]; readonly name?: string }
  /** A named search that is a list of maps (an OR of ANDs): only ever made from a Sigma rule's own search. */
  | { readonly kind: "maps"; readonly maps: readonly (readonly Entry[])[]; readonly name: string }
  | { readonly kind: "and" | "or"; readonly children: readonly Cond[] }
  | { readonly kind: "not"; readonly child: Cond };

export interface SigmaDetection {
  /** Search identifiers in order, then `condition` (the YAML key order of the block). */
  readonly detection: Record<string, unknown>;
  readonly issues: readonly PrintIssue[];
  /** Fields whose case-sensitive match was written case-insensitive (`sigmaCase: insensitive`). */
  readonly widened: readonly string[];
}

export interface SigmaDetectionOptions {
  /** `exact` writes `|cased`; `insensitive` drops it (the caller warns that the match widened). */
  readonly sigmaCase?: "exact" | "insensitive";
  /**
   * SigmaHQ's conventions: EventID as a number, search names from their content
   * (`selection_image`, `filter_main_parentimage`) rather than `selection_1`.
   */
  readonly sharing?: boolean;
}

/** A search identifier the Sigma condition grammar reads as one name, and not as an operator. */
const SEARCH_NAME = /^(?!(?:and|or|not|of|all|them|condition)$)[A-Za-z_][A-Za-z0-9_]*$/i;

/** Case only matters to a value with a letter in it: `EventID: '5136'` needs no `|cased`. */
const LETTER = /\p{L}/u;

export function renderSigmaDetection(query: Query, opts: SigmaDetectionOptions = {}): SigmaDetection {
  const issues: PrintIssue[] = [];
  const widened: string[] = [];
  const exact = opts.sigmaCase === "exact";
  /** `|cased` for a case-sensitive match whose text has a letter, under `exact`; noted as widened otherwise. */
  const casedFor = (field: string, text: string): string => {
    if (!LETTER.test(text)) return "";
    if (exact) return "|cased";
    if (!widened.includes(field)) widened.push(field);
    return "";
  };
  const fail = (node: Query, code: string, reason: string): Cond => {
    issues.push({ severity: "error", code, reason, node });
    return { kind: "map", entries: [] };
  };

  const leaf = (key: string, value: Scalar): Cond => ({ kind: "map", entries: [{ key, values: [value] }] });

  const scalar = (v: Value): Scalar => {
    switch (v.kind) {
      case "string":
        return sigmaString(v.parts).value;
      case "number":
        return v.value;
      case "boolean":
        return v.value;
      case "null":
        return null;
      default:
        return assertNever(v);
    }
  };

  /** The node as one search under the name its Sigma rule gave it, when it still is one. */
  function build(q: Query): Cond {
    const c = buildUnnamed(q);
    const name = "search" in q ? q.search : undefined;
    if (name === undefined || !SEARCH_NAME.test(name)) return c;
    if (c.kind === "map" || c.kind === "keywords") return { ...c, name };
    if (c.kind === "or" && c.children.every((x) => x.kind === "map" && x.name === undefined)) {
      return { kind: "maps", maps: c.children.map((x) => (x as Extract<Cond, { kind: "map" }>).entries), name };
    }
    return c;
  }

  function buildUnnamed(q: Query): Cond {
    // A `*` in an IR field name is a field wildcard (KQL `file.hash.*`); Sigma would read the
    // same text as one field of that name, which no event has.
    const wildcard = [..."field" in q ? [q.field] : [], ..."other" in q ? [q.other] : []].find((f) => f.includes("*"));
    if (wildcard !== undefined) {
      return fail(q, "sigma/wildcard-field", `\`${wildcard}\` stands for many fields; a Sigma field name is one field, so it cannot be said`);
    }
    switch (q.kind) {
      case "and":
        return mergeAnd(q.children.map(build));
      case "or":
        return mergeOr(q.children.map(build));
      case "not":
        return { kind: "not", child: build(q.child) };
      case "match": {
        if (q.value.kind === "string") {
          const text = q.value.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
          // A Windows event id is a number in SigmaHQ's rules (the text of a plain decimal is exact).
          if (opts.sharing && q.field === "EventID" && q.value.parts.length === 1 && /^(0|[1-9][0-9]{0,9})$/.test(text)) return leaf(q.field, Number(text));
          const cased = q.caseSensitive ? casedFor(q.field, text) : "";
          const s = sigmaString(q.value.parts);
          return leaf(`${q.field}${s.modifier ? `|${s.modifier}` : ""}${cased}`, s.value);
        }
        return leaf(q.field, scalar(q.value));
      }
      case "exists":
        return leaf(`${q.field}|exists`, true);
      case "range": {
        if (q.value.kind !== "number") {
          return fail(q, "sigma/range-not-numeric", `Sigma compares only numbers with ${q.op}; \`${q.field}\` is compared with a non-number`);
        }
        return leaf(`${q.field}|${q.op}`, q.value.value);
      }
      case "regex": {
        const pcre = q.dialect === "pcre" ? { ok: true as const, pattern: q.pattern } : luceneToPcre(q.pattern);
        if (!pcre.ok) {
          return fail(q, "sigma/regex-dialect", `the Lucene regular expression on \`${q.field}\` cannot be said in PCRE: ${pcre.reason}`);
        }
        const flags = `${q.caseSensitive ? "" : "|i"}${q.multiline ? "|m" : ""}${q.dotAll ? "|s" : ""}`;
        return leaf(`${q.field}|re${flags}`, pcre.pattern);
      }
      case "cidr":
        return leaf(`${q.field}|cidr`, q.cidr);
      case "keyword": {
        if (q.value.kind !== "string") return { kind: "keywords", values: [scalar(q.value)] };
        if (q.caseSensitive) {
          return fail(q, "sigma/keyword-case", "Sigma keyword searches are case-insensitive and cannot be marked `cased`");
        }
        const s = sigmaString(q.value.parts);
        // Keywords have no modifiers: a leading/trailing wildcard must be written out.
        return { kind: "keywords", values: [s.modifier === "contains" ? `*${s.value}*` : s.modifier === "endswith" ? `*${s.value}` : s.modifier === "startswith" ? `${s.value}*` : s.value] };
      }
      case "fieldref":
        // Which values two fields hold is unknown here, so any letter may be in them.
        return leaf(`${q.field}|fieldref${q.caseSensitive ? casedFor(q.field, "a") : ""}`, q.other);
      case "all":
        return fail(q, "sigma/match-all", "Sigma needs at least one condition besides the log source; this query matches every event");
      case "none":
        return fail(q, "sigma/match-none", "this query matches no event; Sigma has no way to say that");
      case "compare": {
        const bound = lengthLowerBound(q);
        if (bound === undefined) return fail(q, "sigma/expression", "Sigma has no functions or arithmetic; this comparison cannot be said");
        issues.push({ severity: "warning", code: "sigma/length-regex", node: q, reason: lengthRegexReason(bound) });
        return leaf(`${bound.field}|re`, `^[\\s\\S]{${bound.min},}`);
      }
      case "predicate":
        return fail(q, "sigma/expression", "Sigma has no functions or arithmetic; this comparison cannot be said");
      case "nested":
        return fail(q, "sigma/nested", `Sigma has no nested-object queries (\`${q.path}:{...}\`)`);
      case "sequence":
      case "sample":
      case "correlation":
      case "newTerms":
      case "pipe":
        return fail(q, "sigma/not-boolean", `a ${q.kind} inside a boolean query cannot be said in Sigma`);
      case "opaque":
        return fail(q, "sigma/opaque", `a ${q.language} query is kept as text and cannot be converted to Sigma`);
      default:
        return assertNever(q);
    }
  }

  const cond = build(query);
  const detection: Record<string, unknown> = {};
  const names = { selection: 0, filter: 0 };
  /** Names the rule's own searches keep: a made-up name never takes one. */
  const own = new Set<string>();
  const countLeaves = (c: Cond, negated: boolean): void => {
    if (c.kind === "map" || c.kind === "keywords" || c.kind === "maps") {
      if (c.name !== undefined) own.add(c.name);
      else names[negated ? "filter" : "selection"]++;
    } else if (c.kind === "not") countLeaves(c.child, !negated);
    else c.children.forEach((x) => countLeaves(x, negated));
  };
  countLeaves(cond, false);
  const used = { selection: 0, filter: 0 };
  const taken = new Set<string>(own);
  const fresh = (stem: string, first: string): string => {
    let name = first;
    for (let n = 2; taken.has(name); n++) name = `${stem}_${n}`;
    taken.add(name);
    return name;
  };
  /** `selection_2`, or under sharing `selection_commandline` / `filter_main_image` from the first field. */
  const nameFor = (negated: boolean, firstKey?: string): string => {
    const base = negated ? "filter" : "selection";
    used[base]++;
    if (names[base] === 1 && !taken.has(base)) return fresh(base, base);
    const field = firstKey?.split("|")[0]?.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
    if (!opts.sharing || !field) return fresh(base, `${base}_${used[base]}`);
    const stem = negated ? `filter_main_${field}` : `selection_${field}`;
    return fresh(stem, stem);
  };
  /** A rule's own search name; the same name met again with other content (a pass changed one copy) gets a suffix. */
  const ownName = (name: string, content: unknown): string => {
    const text = JSON.stringify(content);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${name}_${n}`;
      const there = detection[candidate];
      if (there === undefined && (n === 1 || !taken.has(candidate))) {
        taken.add(candidate);
        detection[candidate] = content;
        return candidate;
      }
      if (there !== undefined && JSON.stringify(there) === text) return candidate;
    }
  };
  const mapOf = (entries: readonly Entry[]): Record<string, unknown> => {
    const m: Record<string, unknown> = {};
    for (const e of entries) m[e.key] = e.values.length === 1 ? e.values[0] : e.values;
    return m;
  };

  const emit = (c: Cond, negated: boolean, parent: "and" | "or" | "not" | "top"): string => {
    switch (c.kind) {
      case "map": {
        if (c.name !== undefined) return ownName(c.name, mapOf(c.entries));
        const name = nameFor(negated, c.entries[0]?.key);
        detection[name] = mapOf(c.entries);
        return name;
      }
      case "maps":
        return ownName(c.name, c.maps.map(mapOf));
      case "keywords": {
        if (c.name !== undefined) return ownName(c.name, [...c.values]);
        const name = nameFor(negated).replace(/^selection|^filter/, (b) => (b === "selection" ? "keywords" : "filter_keywords"));
        detection[name] = [...c.values];
        return name;
      }
      case "not":
        return `not ${emit(c.child, !negated, "not")}`;
      case "and":
      case "or": {
        const text = c.children.map((x) => emit(x, negated, c.kind)).join(` ${c.kind} `);
        // Parentheses wherever `and` and `or` meet, though precedence would do: reviewers read them.
        const needParens = parent === "not" || (c.kind === "or" && parent === "and") || (c.kind === "and" && parent === "or");
        return needParens ? `(${text})` : text;
      }
      default:
        return assertNever(c);
    }
  };
  const condition = emit(cond, false, "top");
  detection.condition = condition;
  return { detection, issues, widened };
}

/** AND: merge maps whose keys do not collide into one search map; keep the rest separate. */
function mergeAnd(children: readonly Cond[]): Cond {
  const flat = children.flatMap((c) => (c.kind === "and" ? c.children : [c]));
  const out: Cond[] = [];
  let current: Entry[] | undefined;
  for (const c of flat) {
    if (c.kind === "map" && c.name !== undefined) {
      current = undefined;
      out.push(c);
    } else if (c.kind === "map") {
      if (current && !c.entries.some((e) => current!.some((x) => x.key === e.key))) {
        current.push(...c.entries);
        continue;
      }
      current = [...c.entries];
      out.push({ kind: "map", entries: current });
    } else out.push(c);
  }
  // `out` holds references to the arrays filled above.
  const result = out.map((c) => (c.kind === "map" && c.name === undefined ? { kind: "map" as const, entries: [...c.entries] } : c));
  return result.length === 1 ? result[0]! : { kind: "and", children: result };
}

/** OR: single-entry maps on the same key become one list; keyword searches become one list. */
function mergeOr(children: readonly Cond[]): Cond {
  const flat = children.flatMap((c) => (c.kind === "or" ? c.children : [c]));
  // Lists grow in place (one array per key) so an OR of n values costs O(n), not O(n²).
  const out: (Cond | { kind: "list"; key: string; values: Scalar[] } | { kind: "kw"; values: Scalar[] })[] = [];
  const byKey = new Map<string, { kind: "list"; key: string; values: Scalar[] }>();
  let keywords: { kind: "kw"; values: Scalar[] } | undefined;
  for (const c of flat) {
    // Sigma forbids `null` inside a list, so a null match keeps its own selection.
    if (c.kind === "map" && c.name === undefined && c.entries.length === 1 && !c.entries[0]!.key.includes("|all") && !c.entries[0]!.values.includes(null)) {
      const e = c.entries[0]!;
      const list = byKey.get(e.key);
      if (list) list.values.push(...e.values);
      else {
        const fresh = { kind: "list" as const, key: e.key, values: [...e.values] };
        byKey.set(e.key, fresh);
        out.push(fresh);
      }
      continue;
    }
    if (c.kind === "keywords" && c.name === undefined) {
      if (keywords) keywords.values.push(...c.values);
      else {
        keywords = { kind: "kw", values: [...c.values] };
        out.push(keywords);
      }
      continue;
    }
    out.push(c);
  }
  const conds: Cond[] = out.map((c) =>
    c.kind === "list" ? { kind: "map", entries: [{ key: c.key, values: c.values }] } : c.kind === "kw" ? { kind: "keywords", values: c.values } : c,
  );
  return conds.length === 1 ? conds[0]! : { kind: "or", children: conds };
}

/** PCRE's largest repeat count: a longer lower bound has no `{n,}`. */
const PCRE_MAX_REPEAT = 65535;

/**
 * `charLength(f) > n` (ES|QL's `LENGTH(f) > n`, either way round) as the least number of
 * characters `f` holds, which `^[\s\S]{min,}` says. Upper bounds are not said: under Sigma's
 * negation a missing field would match. EQL's `length` (UTF-16 units, per value) is not this.
 */
export function lengthLowerBound(q: Extract<Query, { kind: "compare" }>): { field: string; min: number; op: string; n: number } | undefined {
  const fieldOf = (e: Expr): string | undefined =>
    e.kind === "call" && e.name === "charLength" && e.args.length === 1 && e.args[0]!.kind === "field" ? e.args[0]!.field : undefined;
  const num = (e: Expr): number | undefined => (e.kind === "literal" && e.value.kind === "number" && Number.isFinite(e.value.value) ? e.value.value : undefined);
  const FLIP = { gt: "lt", gte: "lte", lt: "gt", lte: "gte", eq: "eq", neq: "neq" } as const;
  const left = fieldOf(q.left);
  const [field, n, op] = left !== undefined ? [left, num(q.right), q.op] : [fieldOf(q.right), num(q.left), FLIP[q.op]];
  if (field === undefined || n === undefined) return undefined;
  const min = op === "gt" ? Math.floor(n) + 1 : op === "gte" ? Math.ceil(n) : undefined;
  if (min === undefined || min > PCRE_MAX_REPEAT) return undefined;
  return { field, min: Math.max(0, min), op: op === "gt" ? ">" : ">=", n };
}

function lengthRegexReason(b: { field: string; min: number; op: string; n: number }): string {
  return `\`LENGTH(${b.field}) ${b.op} ${b.n}\` is written as the regex \`^[\\s\\S]{${b.min},}\`, which counts characters as ES|QL does only where the engine does: one that counts bytes or UTF-16 units counts a value with non-ASCII characters longer and matches more; and on a multi-valued field it matches when one value is long enough, where ES|QL's LENGTH is null`;
}
