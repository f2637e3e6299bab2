/**
 * ecsFieldTypes: what a match means in Elasticsearch depends on the field's type, which the IR
 * (read from query text alone) does not know. Once a rule leaves ECS for a target where every
 * field is text to compare (Sigma, Splunk), two ECS types must be said explicitly:
 * - `ip`: a term written `a.b.c.d/n` (KQL `source.ip:10.0.0.0/8`) matches the whole range, so it
 *   becomes a `cidr` node; as text it would match only those characters.
 * - `text` (analysed: `message`, PowerShell script blocks, the `.text` multi-fields): a match finds
 *   the words of the phrase in order, in any case (KQL `message:"foo bar"`). The nearest exact-text
 *   form is a case-insensitive contains, which differs at word edges; a warning says how.
 */
import type { Part, Query, SequenceStep } from "../ir/query.js";
import { partsText } from "../ir/parts-text.js";
import { looksLikeIpv6, looksLikeIpv6Cidr } from "../query/ip-shape.js";
import { ECS_IP_FIELDS, ECS_NUMERIC_TYPES, ECS_STRING_TYPES, ecsFieldType, isTextField } from "../query/ecs-field-types.js";
import type { MappingProblem } from "./map-fields.js";
import { mapMeasures } from "../ir/correlation-measures.js";

const IPV4_CIDR = /^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export interface TypedResult {
  readonly query: Query;
  readonly problems: readonly MappingProblem[];
}

export function ecsFieldTypes(query: Query): TypedResult {
  const problems: MappingProblem[] = [];
  const warned = new Set<string>();
  const leaf = (q: Query): Query => {
    switch (q.kind) {
      case "match": {
        if (q.value.kind !== "string") return q;
        const parts = q.value.parts;
        const only = parts.length === 1 && parts[0]!.kind === "text" ? parts[0]!.value : undefined;
        if (only !== undefined && ECS_IP_FIELDS.has(q.field) && (IPV4_CIDR.test(only) || looksLikeIpv6Cidr(only))) {
          return { kind: "cidr", field: q.field, cidr: only, ...(q.optional ? { optional: q.optional } : {}), ...(q.span ? { span: q.span } : {}) };
        }
        if (!isTextField(q.field) || parts.every((p) => p.kind !== "text")) return q;
        if (!warned.has(q.field)) {
          warned.add(q.field);
          problems.push({
            severity: "warning",
            code: "mapping/text-field",
            field: q.field,
            message: `\`${q.field}\` is analysed text: Elasticsearch matches the words of a value in order and in any case; here it is a case-insensitive contains, which also matches inside longer words and misses the words when other punctuation or spacing separates them`,
          });
        }
        return { ...q, value: { kind: "string", parts: contains(parts) }, caseSensitive: false };
      }
      default:
        return q;
    }
  };
  return { query: mapLeaves(query, leaf), problems };
}

/**
 * ipFieldsTyped: the other direction, a rule entering ECS (from Sigma). An ECS ip field takes terms
 * and CIDR blocks only: an exact address becomes a one-address block (`cidrMatch`, which is how
 * Elastic's own rules compare ip fields; EQL's `in` did not take them), and a wildcard pattern
 * cannot be said. A CIDR block on keyword text (`winlog.event_data.*`) stays a `cidr` node: which
 * language can say it is the target's choice (`isKeywordAddressText`).
 */
export function ipFieldsTyped(query: Query): TypedResult {
  const problems: MappingProblem[] = [];
  const fail = (field: string, code: string, message: string) => problems.push({ severity: "error", code, field, message });
  const leaf = (q: Query): Query => {
    switch (q.kind) {
      case "regex":
        if (ECS_IP_FIELDS.has(q.field)) fail(q.field, "mapping/ip-pattern", `\`${q.field}\` is an ip field, which takes whole addresses and CIDR blocks only; a regular expression cannot be said`);
        return q;
      case "cidr":
        // A block on keyword text (winlog.event_data.*) is left to the target: ES|QL can read the
        // text as an address (TO_IP), EQL and KQL cannot (src/targets/elastic: elastic/cidr-on-text).
        return q;
      case "match": {
        if (!ECS_IP_FIELDS.has(q.field) || q.value.kind !== "string") return q;
        const parts = q.value.parts;
        const only = parts.length === 1 && parts[0]!.kind === "text" ? parts[0]!.value : undefined;
        if (only !== undefined && IPV4.test(only)) return { kind: "cidr", field: q.field, cidr: `${only}/32`, ...(q.span ? { span: q.span } : {}) };
        if (only !== undefined && looksLikeIpv6(only)) return { kind: "cidr", field: q.field, cidr: `${only}/128`, ...(q.span ? { span: q.span } : {}) };
        if (only !== undefined && (IPV4_CIDR.test(only) || looksLikeIpv6Cidr(only))) return { kind: "cidr", field: q.field, cidr: only, ...(q.span ? { span: q.span } : {}) };
        fail(q.field, "mapping/ip-pattern", `\`${q.field}\` is an ip field, which takes whole addresses and CIDR blocks only; \`${partsText(parts)}\` cannot be said`);
        return q;
      }
      default:
        return q;
    }
  };
  return { query: mapLeaves(query, leaf), problems };
}

const NUMBER_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * ecsLiteralsTyped: each literal compared with an ECS field takes the field's type, as
 * Elasticsearch's EQL compares by the mapped type (`process.code_signature.trusted == "true"` fails
 * verification; `event.code == 4624` compares a keyword with a number). A `"true"`/`"false"` on a
 * boolean field is the boolean, a number-like text on a numeric field the number, and a number or
 * boolean on a string field its text. Fields ECS does not define keep the value as written.
 */
export function ecsLiteralsTyped(query: Query): Query {
  const leaf = (q: Query): Query => {
    if (q.kind !== "match" && q.kind !== "range") return q;
    const type = ecsFieldType(q.field);
    if (type === undefined) return q;
    const v = q.value;
    // Only a boolean or numeric field looks at the value's text (most fields are keywords).
    const wantsText = (type === "boolean" && q.kind === "match") || ECS_NUMERIC_TYPES.has(type);
    const text = wantsText && v.kind === "string" && v.parts.every((p) => p.kind === "text") ? v.parts.map((p) => (p.kind === "text" ? p.value : "")).join("") : undefined;
    if (type === "boolean" && q.kind === "match" && (text === "true" || text === "false")) return { ...q, value: { kind: "boolean", value: text === "true" } };
    if (ECS_NUMERIC_TYPES.has(type) && text !== undefined && NUMBER_TEXT.test(text)) return { ...q, value: { kind: "number", value: Number(text), raw: text } };
    if (ECS_STRING_TYPES.has(type) && q.kind === "match" && (v.kind === "number" || v.kind === "boolean")) {
      return { ...q, value: { kind: "string", parts: [{ kind: "text", value: v.kind === "number" ? v.raw || String(v.value) : String(v.value) }] } };
    }
    return q;
  };
  return mapLeaves(query, leaf);
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/**
 * The query with `leaf` applied to every node that holds no other query, at any depth. A node none
 * of whose parts `leaf` changed is the node itself (most are: the passes run on every rule).
 */
function mapLeaves(query: Query, leaf: (q: Query) => Query): Query {
  const walk = (q: Query): Query => {
    const step = (s: SequenceStep): SequenceStep => ({ ...s, query: walk(s.query) });
    switch (q.kind) {
      case "and":
      case "or": {
        const children = q.children.map(walk);
        return children.every((c, i) => c === q.children[i]) ? q : { ...q, children };
      }
      case "not": {
        const child = walk(q.child);
        return child === q.child ? q : { ...q, child };
      }
      case "nested": {
        const inner = walk(q.query);
        return inner === q.query ? q : { ...q, query: inner };
      }
      case "sequence":
        return { ...q, steps: q.steps.map(step), ...(q.until ? { until: step(q.until) } : {}) };
      case "sample":
        return { ...q, steps: q.steps.map(step) };
      case "correlation":
        return {
          ...q,
          rules: q.rules.map((r) => ({ ...r, query: walk(r.query) })),
          ...mapMeasures(q, (m) => (m.filter ? { ...m, filter: walk(m.filter) } : m)),
        };
      case "newTerms":
        return { ...q, query: walk(q.query) };
      case "pipe":
        return { ...q, input: walk(q.input) };
      default:
        return leaf(q);
    }
  };
  return walk(query);
}

/** The value with a wildcard at each end (once). */
function contains(parts: readonly Part[]): Part[] {
  const out = [...parts];
  if (out[0]?.kind !== "any") out.unshift({ kind: "any" });
  if (out[out.length - 1]?.kind !== "any") out.push({ kind: "any" });
  return out;
}
