/**
 * One detection item (`Field|mod|mod: value(s)`) → IR. Modifiers apply left to right to each
 * value; a value modifier may expand one value into alternatives (windash, base64offset, expand),
 * which stay ORed even under `all`, as in pySigma's SigmaExpansion.
 */
import type { Part, Query, RangeOp, Span } from "../../ir/query.js";
import { translatePcre } from "../../query/regex/regex-dialects.js";
import { encodeUtf16, toBase64, toBase64Offsets } from "./sigma-encoding.js";
import { expandPlaceholders, hasWildcard, normaliseParts, parseSigmaString, placeholderNames, plainText } from "../../query/sigma/sigma-string.js";

/** A value as YAML gave it; `raw` is the scalar's source text (numbers keep their spelling). */
export interface RawValue {
  readonly value: string | number | boolean | null;
  readonly raw: string;
  readonly span: Span;
}

type TimeUnit = "minute" | "hour" | "day" | "week" | "month" | "year";

type SValue =
  | { kind: "string"; parts: Part[]; cased: boolean; raw?: string }
  | { kind: "number"; value: number; raw: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "regex"; pattern: string; i: boolean; m: boolean; s: boolean }
  | { kind: "cidr"; cidr: string }
  | { kind: "range"; op: RangeOp; value: number; raw: string }
  | { kind: "exists"; value: boolean }
  | { kind: "fieldref"; other: string; cased: boolean }
  | { kind: "time"; unit: TimeUnit; value: number; raw: string };

/** A modifier problem; the reader turns it into a diagnostic at the detection item's key. */
export class ModifierError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const MODIFIERS = [
  "all", "neq", "contains", "startswith", "endswith", "exists", "cased", "windash", "re", "i", "m", "s",
  "ignorecase", "multiline", "dotall", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide",
  "lt", "lte", "gt", "gte", "minute", "hour", "day", "week", "month", "year", "cidr", "expand", "fieldref",
] as const;
type Modifier = (typeof MODIFIERS)[number];
const KNOWN: ReadonlySet<string> = new Set(MODIFIERS);

export interface ItemOptions {
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** `buildItem("Image", ["endswith"], values, span)` → a `match` (or an `or` of them). */
export function buildItem(
  field: string | null,
  modifiers: readonly string[],
  values: readonly RawValue[],
  span: Span,
  opts: ItemOptions,
): Query {
  for (const m of modifiers) {
    if (!KNOWN.has(m)) {
      throw new ModifierError("sigma/unknown-modifier", `unknown modifier '${m}'`, `known modifiers: ${MODIFIERS.join(", ")}`);
    }
  }
  const mods = modifiers as readonly Modifier[];
  const linkAll = mods.includes("all");
  const negate = mods.includes("neq");
  if (linkAll && values.length < 2) {
    throw new ModifierError("sigma/all-on-single-value", "the `all` modifier needs a list of two or more values", "drop `|all`");
  }
  if (values.some((v) => v.value === null) && values.length > 1) {
    throw new ModifierError("sigma/null-in-list", "`null` cannot be one of several values", "put the null check in its own selection");
  }
  const valueMods = mods.filter((m) => m !== "all" && m !== "neq");
  const nodes = values.map((rv) => {
    // A lone value's node covers the whole `Field|mods: value` item.
    const at = values.length === 1 ? span : rv.span;
    const alts = applyModifiers(initial(rv), valueMods, field, opts).map((sv) => toQuery(field, sv, at));
    return alts.length === 1 ? (alts[0] as Query) : { kind: "or" as const, children: alts, span: at };
  });
  const linked: Query =
    nodes.length === 1 ? (nodes[0] as Query) : { kind: linkAll ? "and" : "or", children: nodes, span };
  return negate ? { kind: "not", child: linked, span } : linked;
}

function initial(rv: RawValue): SValue {
  const v = rv.value;
  if (v === null) return { kind: "null" };
  if (typeof v === "boolean") return { kind: "boolean", value: v };
  if (typeof v === "number") return { kind: "number", value: v, raw: rv.raw };
  return { kind: "string", parts: parseSigmaString(v), cased: false, raw: v };
}

function applyModifiers(start: SValue, mods: readonly Modifier[], field: string | null, opts: ItemOptions): SValue[] {
  let vals: SValue[] = [start];
  mods.forEach((m, index) => {
    vals = vals.flatMap((v) => applyOne(m, v, index, mods, field, opts));
  });
  return vals;
}

function applyOne(
  m: Modifier,
  v: SValue,
  index: number,
  mods: readonly Modifier[],
  field: string | null,
  opts: ItemOptions,
): SValue[] {
  switch (m) {
    case "all":
    case "neq": // list modifiers, applied by buildItem
      return [v];
    case "contains":
    case "startswith":
    case "endswith": {
      const s = asString(v, m);
      const head: Part[] = m !== "startswith" && s.parts[0]?.kind !== "any" ? [{ kind: "any" }] : [];
      const tail: Part[] = m !== "endswith" && s.parts[s.parts.length - 1]?.kind !== "any" ? [{ kind: "any" }] : [];
      return [{ ...s, parts: normaliseParts([...head, ...s.parts, ...tail]) }];
    }
    case "cased": {
      if (v.kind === "fieldref") return [{ ...v, cased: true }];
      return [{ ...asString(v, m), cased: true }];
    }
    case "windash":
      return windash(asString(v, m));
    case "re": {
      if (index > 0) throw combo("`re` must be the first value modifier");
      const raw = rawString(v, m);
      const bad = mods.find((x) => !["re", "i", "m", "s", "ignorecase", "multiline", "dotall", "all", "neq"].includes(x));
      if (bad) throw combo(`\`re\` cannot be combined with \`${bad}\``, "write the wildcards into the regular expression");
      // A pattern no regex engine accepts (often a Sigma wildcard written under `re`) would only fail
      // in the SIEM; constructs that are valid PCRE but have no JS form are the targets' business.
      const check = translatePcre(raw, { caseSensitive: true });
      if (!check.ok && /^(invalid regular expression|unterminated)/.test(check.reason)) {
        throw new ModifierError(
          "sigma/invalid-regex",
          `\`${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}\` is not a valid regular expression: ${check.reason.replace(/^invalid regular expression: Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "").slice(0, 120)}`,
          /^[*?]|[^\\.)\]][*]/.test(raw) ? "under `re`, `*` repeats the character before it; for a Sigma wildcard drop `re`, or write `.*`" : "fix the pattern (PCRE syntax)",
        );
      }
      return [{ kind: "regex", pattern: raw, i: false, m: false, s: false }];
    }
    case "i":
    case "ignorecase":
    case "m":
    case "multiline":
    case "s":
    case "dotall": {
      if (v.kind !== "regex") throw combo(`\`${m}\` is a flag of \`re\` and must follow it`);
      const flag = m === "i" || m === "ignorecase" ? "i" : m === "m" || m === "multiline" ? "m" : "s";
      return [{ ...v, [flag]: true }];
    }
    case "base64":
    case "base64offset": {
      const s = asString(v, m);
      if (hasWildcard(s.parts)) {
        throw new ModifierError("sigma/wildcard-in-base64", `\`${m}\` cannot encode a value with wildcards`, "escape `*` and `?` as `\\*`, `\\?`");
      }
      const bytes = byteString(plainText(s.parts), mods.slice(0, index));
      const encoded = m === "base64" ? [toBase64(bytes)] : toBase64Offsets(bytes);
      return encoded.map((e) => ({ kind: "string", parts: [{ kind: "text", value: e }], cased: s.cased }));
    }
    case "wide":
    case "utf16le":
    case "utf16be":
    case "utf16": {
      const s = asString(v, m);
      const enc = m === "utf16be" ? "be" : m === "utf16" ? "bom" : "le";
      const parts: Part[] = s.parts.map((p) => (p.kind === "text" ? { kind: "text", value: encodeUtf16(p.value, enc === "be") } : p));
      if (enc === "bom") parts.unshift({ kind: "text", value: "\u00ff\u00fe" });
      return [{ ...s, parts: normaliseParts(parts) }];
    }
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      if (v.kind !== "number") throw valueType(m, v, "a number");
      return [{ kind: "range", op: m, value: v.value, raw: v.raw }];
    }
    case "minute":
    case "hour":
    case "day":
    case "week":
    case "month":
    case "year": {
      if (v.kind !== "number") throw valueType(m, v, "a number");
      return [{ kind: "time", unit: m, value: v.value, raw: v.raw }];
    }
    case "cidr": {
      if (index > 0) throw combo("`cidr` must be the first value modifier");
      if (v.kind !== "string") throw valueType(m, v, "a CIDR string");
      const cidr = plainText(v.parts);
      if (hasWildcard(v.parts) || !isCidr(cidr)) {
        throw new ModifierError("sigma/invalid-cidr", `'${cidr}' is not an IPv4 or IPv6 CIDR network`);
      }
      const bad = mods.find((x) => !["cidr", "all", "neq"].includes(x));
      if (bad) throw combo(`\`cidr\` cannot be combined with \`${bad}\``);
      return [{ kind: "cidr", cidr }];
    }
    case "exists": {
      if (field === null) throw combo("`exists` needs a field name");
      if (mods.length > 1) throw combo("`exists` cannot be combined with other modifiers");
      if (v.kind !== "boolean") throw valueType(m, v, "true or false");
      return [{ kind: "exists", value: v.value }];
    }
    case "fieldref": {
      if (field === null) throw combo("`fieldref` needs a field name");
      const s = asString(v, m);
      if (hasWildcard(s.parts)) throw new ModifierError("sigma/invalid-value-type", "a field reference cannot contain wildcards");
      const bad = mods.find((x) => !["fieldref", "cased", "all", "neq"].includes(x));
      if (bad) throw combo(`\`fieldref\` cannot be combined with \`${bad}\` (the IR compares whole values only)`);
      return [{ kind: "fieldref", other: plainText(s.parts), cased: s.cased }];
    }
    case "expand": {
      const raw = rawString(v, m);
      const names = placeholderNames(raw);
      const table = opts.placeholders ?? {};
      const missing = names.filter((n) => !table[n]);
      if (missing.length) {
        throw new ModifierError(
          "sigma/missing-placeholder",
          `no values for placeholder ${missing.map((n) => `%${n}%`).join(", ")}`,
          "give its values under `placeholders:` in rulecast.config.yaml",
        );
      }
      return expandPlaceholders(raw, table).map((e) => ({ kind: "string", parts: parseSigmaString(e), cased: false }));
    }
    default: {
      const never: never = m;
      throw new Error(`unhandled modifier ${String(never)}`);
    }
  }
}

function combo(message: string, hint?: string): ModifierError {
  return new ModifierError("sigma/invalid-modifier-combination", message, hint);
}

function valueType(m: string, v: SValue, wanted: string): ModifierError {
  return new ModifierError("sigma/invalid-value-type", `\`${m}\` needs ${wanted}, not a ${v.kind} value`);
}

/** String modifiers accept numbers as their decimal spelling (`|contains: 4104`). */
function asString(v: SValue, m: string): Extract<SValue, { kind: "string" }> {
  if (v.kind === "string") return v;
  if (v.kind === "number") return { kind: "string", parts: [{ kind: "text", value: v.raw }], cased: false };
  throw valueType(m, v, "a string");
}

/** `re` and `expand` read the value as written, before wildcard and escape processing. */
function rawString(v: SValue, m: string): string {
  if (v.kind === "string" && v.raw !== undefined) return v.raw;
  if (v.kind === "number") return v.raw;
  throw valueType(m, v, "a string");
}

/** Bytes that base64 encodes: UTF-16 output is already bytes (one char per byte); text is UTF-8. */
function byteString(text: string, before: readonly Modifier[]): string {
  if (before.some((m) => m === "wide" || m === "utf16le" || m === "utf16be" || m === "utf16")) return text;
  return Buffer.from(text, "utf8").toString("latin1");
}

/** pySigma's `\B[-/]\b`: a dash or slash that starts a word (a command-line switch). */
const WINDASH_CHARS = ["-", "/", "\u2013", "\u2014", "\u2015"];
function windash(s: Extract<SValue, { kind: "string" }>): SValue[] {
  let variants: Part[][] = [[]];
  for (const p of s.parts) {
    if (p.kind !== "text") {
      variants = variants.map((v) => [...v, p]);
      continue;
    }
    const pieces = p.value.split(/(?<![A-Za-z0-9_])[-/](?=[A-Za-z0-9_])/);
    let texts = [pieces[0] as string];
    for (const piece of pieces.slice(1)) texts = texts.flatMap((t) => WINDASH_CHARS.map((d) => t + d + piece));
    variants = variants.flatMap((v) => texts.map((t) => [...v, { kind: "text" as const, value: t }]));
  }
  return variants.map((parts) => ({ ...s, parts: normaliseParts(parts) }));
}

function isCidr(s: string): boolean {
  const [addr, len, ...rest] = s.split("/");
  if (rest.length || addr === undefined) return false;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) {
    return addr.split(".").every((o) => Number(o) <= 255) && (len === undefined || Number(len) <= 32);
  }
  return /^[0-9a-fA-F:.]+$/.test(addr) && addr.includes(":") && (len === undefined || Number(len) <= 128);
}

function toQuery(field: string | null, v: SValue, span: Span): Query {
  if (field === null) {
    if (v.kind === "string") return { kind: "keyword", value: { kind: "string", parts: v.parts }, caseSensitive: v.cased, span };
    if (v.kind === "number") return { kind: "keyword", value: { kind: "number", value: v.value, raw: v.raw }, caseSensitive: false, span };
    throw new ModifierError("sigma/invalid-value-type", `a keyword (value without a field) cannot be a ${v.kind} match`);
  }
  switch (v.kind) {
    case "string":
      return { kind: "match", field, value: { kind: "string", parts: v.parts }, caseSensitive: v.cased, span };
    case "number":
      return { kind: "match", field, value: { kind: "number", value: v.value, raw: v.raw }, caseSensitive: false, span };
    case "boolean":
      return { kind: "match", field, value: { kind: "boolean", value: v.value }, caseSensitive: false, span };
    case "null":
      return { kind: "match", field, value: { kind: "null" }, caseSensitive: false, span };
    case "regex":
      return {
        kind: "regex",
        field,
        pattern: v.pattern,
        dialect: "pcre",
        caseSensitive: !v.i,
        ...(v.m ? { multiline: true } : {}),
        ...(v.s ? { dotAll: true } : {}),
        span,
      };
    case "cidr":
      return { kind: "cidr", field, cidr: v.cidr, span };
    case "range":
      return { kind: "range", field, op: v.op, value: { kind: "number", value: v.value, raw: v.raw }, span };
    case "exists":
      return v.value ? { kind: "exists", field, span } : { kind: "not", child: { kind: "exists", field, span }, span };
    case "fieldref":
      return { kind: "fieldref", field, other: v.other, caseSensitive: v.cased, span };
    case "time":
      return {
        kind: "compare",
        op: "eq",
        left: { kind: "call", name: v.unit, caseInsensitive: false, args: [{ kind: "field", field, optional: false }] },
        right: { kind: "literal", value: { kind: "number", value: v.value, raw: v.raw } },
        span,
      };
    default: {
      const never: never = v;
      throw new Error(`unhandled value ${JSON.stringify(never)}`);
    }
  }
}
