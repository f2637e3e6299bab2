/** What each printer warning says the printed text means instead of the IR, per language. */
import type { Query } from "../../src/ir/query.js";

export const KQL_CHANGES: Readonly<Record<string, (n: Query) => Query>> = {
  // KQL matches keyword fields case-sensitively.
  "kql/case-sensitive-match": (n) => (n.kind === "match" ? { ...n, caseSensitive: true } : n),
  // A bare value is analysed (case-insensitive) full-text search.
  "kql/case-insensitive-keyword": (n) => (n.kind === "keyword" ? { ...n, caseSensitive: false } : n),
  // On a keyword field (the evaluator's KQL assumption) `f:"10.0.0.0/8"` is that text.
  "kql/cidr-assumes-ip": (n) => (n.kind === "cidr" ? { kind: "match", field: n.field, value: { kind: "string", parts: [{ kind: "text", value: n.cidr }] }, caseSensitive: true } : n),
};

export const LUCENE_CHANGES: Readonly<Record<string, (n: Query) => Query>> = {
  // As in KQL: on a keyword field (the evaluator's assumption) `f:"10.0.0.0/8"` is that text.
  "lucene/cidr-assumes-ip": (n) => (n.kind === "cidr" ? { kind: "match", field: n.field, value: { kind: "string", parts: [{ kind: "text", value: n.cidr }] }, caseSensitive: true } : n),
};

export const EQL_CHANGES: Readonly<Record<string, (n: Query) => Query>> = {
  // The PCRE text is kept but read as a Lucene regex (anchored).
  "eql/regex-dialect": (n) => (n.kind === "regex" ? { ...n, dialect: "lucene" } : n),
};
