/**
 * ipRangesAsCidr: in Elasticsearch a term on an `ip` field written as `a.b.c.d/n` matches the whole
 * range (KQL `source.ip:10.0.0.0/8`). The IR read it as text, which is what the same characters
 * mean on any other field; once a rule leaves ECS (for Sigma or Splunk, where the field is text), a
 * CIDR value on an ECS ip field must become a `cidr` node or it would match only that literal text.
 */
import type { Query, SequenceStep } from "../ir/query.js";

/** The ECS fields of type `ip` (ECS 8.x field reference). */
const ECS_IP_FIELDS: ReadonlySet<string> = new Set([
  "client.ip", "client.nat.ip", "destination.ip", "destination.nat.ip", "host.ip", "observer.ip", "related.ip",
  "server.ip", "server.nat.ip", "source.ip", "source.nat.ip", "threat.indicator.ip", "threat.enrichments.indicator.ip",
]);

const IPV4_CIDR = /^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const IPV6_CIDR = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/\d{1,3}$/;

export function ipRangesAsCidr(q: Query): Query {
  const step = (s: SequenceStep): SequenceStep => ({ ...s, query: ipRangesAsCidr(s.query) });
  switch (q.kind) {
    case "and":
    case "or":
      return { ...q, children: q.children.map(ipRangesAsCidr) };
    case "not":
      return { ...q, child: ipRangesAsCidr(q.child) };
    case "nested":
      return { ...q, query: ipRangesAsCidr(q.query) };
    case "sequence":
      return { ...q, steps: q.steps.map(step), ...(q.until ? { until: step(q.until) } : {}) };
    case "sample":
      return { ...q, steps: q.steps.map(step) };
    case "correlation":
      return { ...q, rules: q.rules.map((r) => ({ ...r, query: ipRangesAsCidr(r.query) })) };
    case "pipe":
      return { ...q, input: ipRangesAsCidr(q.input) };
    case "match": {
      const part = q.value.kind === "string" && q.value.parts.length === 1 ? q.value.parts[0] : undefined;
      const text = part?.kind === "text" ? part.value : undefined;
      if (text === undefined || !ECS_IP_FIELDS.has(q.field) || !(IPV4_CIDR.test(text) || IPV6_CIDR.test(text))) return q;
      return { kind: "cidr", field: q.field, cidr: text, ...(q.optional ? { optional: q.optional } : {}), ...(q.span ? { span: q.span } : {}) };
    }
    default:
      return q;
  }
}
