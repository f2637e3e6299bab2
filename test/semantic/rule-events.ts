/**
 * Events made from a rule's own values: every leaf's value instantiated (wildcards filled), and
 * near misses of it (one character changed, case flipped, field absent). Each event carries the
 * construct of the leaf it was made for, so disagreements can be grouped by construct.
 */
import type { Part, Query, Value } from "../../src/ir/query.js";

export interface RuleEvent {
  readonly event: Record<string, unknown>;
  /** `match/contains/cased`, `regex`, ... plus the variant: `all`, `only`, `changed`, `case`, `absent`. */
  readonly construct: string;
}

type Leaf = Exclude<Query, { kind: "and" | "or" | "not" }>;

export function leaves(q: Query): Leaf[] {
  switch (q.kind) {
    case "and":
    case "or":
      return q.children.flatMap(leaves);
    case "not":
      return leaves(q.child);
    default:
      return [q];
  }
}

/** The Sigma-modifier-like shape of a string pattern. */
function shape(parts: readonly Part[]): string {
  const k = parts.map((p) => (p.kind === "text" ? "t" : p.kind === "any" ? "*" : "?")).join("");
  if (k === "t") return "exact";
  if (k === "t*") return "startswith";
  if (k === "*t") return "endswith";
  if (k === "*t*") return "contains";
  return k.includes("?") ? "pattern-one" : "pattern";
}

export function construct(l: Leaf): string {
  switch (l.kind) {
    case "match":
      if (l.value.kind !== "string") return `match/${l.value.kind}`;
      return `match/${shape(l.value.parts)}${l.caseSensitive ? "/cased" : ""}`;
    case "keyword":
      return `keyword/${l.value.kind === "string" ? shape(l.value.parts) : l.value.kind}`;
    case "regex":
      return `regex/${l.dialect}${l.caseSensitive ? "" : "/i"}`;
    case "range":
      return `range/${l.op}`;
    default:
      return l.kind;
  }
}

const KEYWORD_FIELD = "rc_keyword_text";

function fill(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === "text" ? p.value : p.kind === "any" ? "Zq9" : "Q")).join("");
}

/** A crude instance of a regex: metacharacters dropped, escaped characters kept. */
function regexInstance(pattern: string): string {
  return pattern
    .replace(/^\(\?[a-z]+\)/, "")
    .replace(/\[([^\]])[^\]]*\]/g, "$1")
    .replace(/\.[*+]\??/g, "")
    .replace(/\\([^a-zA-Z0-9])/g, "$1")
    .replace(/\\[dsw]/g, "1")
    .replace(/[\^$()?*+{}|]|\{\d+(,\d*)?\}/g, "");
}

function cidrInstance(cidr: string): string {
  const [ip] = cidr.split("/");
  if (ip && /^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const o = ip.split(".").map(Number);
    o[3] = Math.min(254, (o[3] ?? 0) + 1);
    return o.join(".");
  }
  return ip ?? cidr;
}

function valueInstance(v: Value): unknown {
  switch (v.kind) {
    case "string":
      return fill(v.parts);
    case "number":
      return v.value;
    case "boolean":
      return v.value;
    case "null":
      return undefined;
  }
}

/** Field and positive value of a leaf; `undefined` value: the leaf holds when the field is absent. */
function positive(l: Leaf): { field: string; value: unknown } | undefined {
  switch (l.kind) {
    case "match":
      return { field: l.field, value: valueInstance(l.value) };
    case "exists":
      return { field: l.field, value: "x" };
    case "range": {
      if (l.value.kind !== "number") return undefined;
      const b = l.value.value;
      return { field: l.field, value: l.op === "gt" ? b + 1 : l.op === "lt" ? b - 1 : b };
    }
    case "regex":
      return { field: l.field, value: regexInstance(l.pattern) };
    case "cidr":
      return { field: l.field, value: cidrInstance(l.cidr) };
    case "keyword":
      // Where the mapping says the log source keeps the event's text (ECS `message`), the text is there.
      return { field: l.textField ?? KEYWORD_FIELD, value: valueInstance(l.value) };
    case "fieldref":
      return { field: l.field, value: "same" };
    default:
      return undefined;
  }
}

function changeOne(v: unknown): unknown {
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  if (typeof v !== "string" || v === "") return "x";
  const i = [...v].findIndex((c) => /[A-Za-z0-9]/.test(c));
  const at = i < 0 ? 0 : i;
  const chars = [...v];
  chars[at] = chars[at] === "x" ? "y" : "x";
  return chars.join("");
}

function flipCase(v: unknown): unknown {
  if (typeof v !== "string") return typeof v === "boolean" ? String(v).toUpperCase() : v;
  return [...v].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
}

/** Events for one query, at most `maxLeaves` leaves expanded (the all-values event always). */
export function ruleEvents(q: Query, maxLeaves = 40): RuleEvent[] {
  const ls = leaves(q);
  const all: Record<string, unknown[]> = {};
  const pos = ls.map((l) => positive(l));
  pos.forEach((p, i) => {
    if (!p || p.value === undefined) return;
    (all[p.field] ??= []).push(p.value);
    const l = ls[i]!;
    if (l.kind === "fieldref") (all[l.other] ??= []).push("same");
  });
  const allEvent = (replace?: { field: string; value: unknown }): Record<string, unknown> => {
    const e: Record<string, unknown> = {};
    for (const [f, vs] of Object.entries(all)) e[f] = vs.length === 1 ? vs[0] : [...vs];
    if (replace) {
      if (replace.value === undefined) delete e[replace.field];
      else e[replace.field] = replace.value;
    }
    return e;
  };
  const out: RuleEvent[] = [{ event: allEvent(), construct: "all-values" }];
  const seen = new Set<string>();
  ls.slice(0, maxLeaves).forEach((l, i) => {
    const p = pos[i];
    if (!p) return;
    const c = construct(l);
    const key = `${c}\u0000${p.field}\u0000${JSON.stringify(p.value)}`;
    if (seen.has(key)) return;
    seen.add(key);
    const only: Record<string, unknown> = p.value === undefined ? {} : { [p.field]: p.value };
    if (l.kind === "fieldref") only[l.other] = "same";
    out.push({ event: only, construct: `${c} only` });
    const base = p.value === undefined ? "x" : p.value;
    out.push({ event: allEvent({ field: p.field, value: changeOne(base) }), construct: `${c} changed` });
    out.push({ event: allEvent({ field: p.field, value: flipCase(base) }), construct: `${c} case` });
    out.push({ event: allEvent({ field: p.field, value: undefined }), construct: `${c} absent` });
  });
  return out;
}
