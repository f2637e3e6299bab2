/**
 * The top-level keys Kibana accepts per rule type (data/kibana-rule-fields.json, generated from
 * the 9.5 rule schemas by scripts/build-kibana-fields.mjs), plus the API's own spelling of new-terms
 * settings, which detection-rules' schema wraps in a `new_terms` object.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../package-root.js";

const API_ONLY: Readonly<Record<string, readonly string[]>> = {
  new_terms: ["new_terms_fields", "history_window_start"],
};

// Loaded once per process: a cache of immutable package data, not state.
let table: Readonly<Record<string, readonly string[]>> | undefined;

const perType = new Map<string, ReadonlySet<string>>();

export function kibanaRuleFields(type: string): ReadonlySet<string> {
  table ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, "data", "kibana-rule-fields.json"), "utf8")) as { types: Record<string, string[]> }).types;
  let fields = perType.get(type);
  if (!fields) {
    fields = new Set([...(table[type] ?? []), ...(API_ONLY[type] ?? [])].filter((k) => k !== "new_terms"));
    perType.set(type, fields);
  }
  return fields;
}
