/**
 * Field types of ECS and the Elastic integrations that change what a query means, which the IR
 * (read from query text alone) does not carry.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

// Loaded once per process: a cache of immutable package data, not state.
let ecsTypes: Readonly<Record<string, string>> | undefined;

/**
 * The Elasticsearch type ECS gives a field (`process.command_line` → `wildcard`,
 * `process.name` → `keyword`), or undefined for a field ECS does not define. From
 * data/ecs-field-types.json (scripts/build-ecs-field-types.mjs, from the @elastic/ecs package).
 */
export function ecsFieldType(field: string): string | undefined {
  const types = loadEcsTypes();
  return Object.hasOwn(types, field) ? types[field] : undefined;
}

/** Every field name ECS defines (the keys of data/ecs-field-types.json). */
export function ecsFieldNames(): readonly string[] {
  return Object.keys(loadEcsTypes());
}

function loadEcsTypes(): Readonly<Record<string, string>> {
  ecsTypes ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, "data", "ecs-field-types.json"), "utf8")) as { types: Record<string, string> }).types;
  return ecsTypes;
}

/** Elasticsearch types that hold numbers, and those that hold strings (compared as text). */
export const ECS_NUMERIC_TYPES: ReadonlySet<string> = new Set(["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"]);
/** The floating-point ones: Elasticsearch writes their whole values with a fraction (`5.0`). */
export const ECS_FLOAT_TYPES: ReadonlySet<string> = new Set(["double", "float", "half_float", "scaled_float"]);
export const ECS_STRING_TYPES: ReadonlySet<string> = new Set(["keyword", "constant_keyword", "wildcard", "text", "match_only_text"]);

/** The ECS fields of type `ip` (ECS 8.x field reference): a term `a.b.c.d/n` on them is a range. */
export const ECS_IP_FIELDS: ReadonlySet<string> = new Set([
  "client.ip", "client.nat.ip", "destination.ip", "destination.nat.ip", "host.ip", "observer.ip", "related.ip",
  "server.ip", "server.nat.ip", "source.ip", "source.nat.ip", "threat.indicator.ip", "threat.enrichments.indicator.ip",
]);

/**
 * Fields whose addresses are keyword text, not `ip`: Winlogbeat and the Elastic Agent Windows and
 * System integrations copy each <EventData> value to `winlog.event_data.<Name>` as a string, and
 * their templates map `winlog.event_data.*` as keyword (packages/system, packages/windows
 * fields/winlog.yml). A CIDR block there must read the text as an address first: ES|QL's
 * `CIDR_MATCH(TO_IP(f), …)` does (TO_IP is NULL on text that is no address); EQL's `cidrMatch`
 * takes only ip fields, and a KQL or Lucene term `a.b.c.d/n` on a keyword is that literal text.
 */
export function isKeywordAddressText(field: string): boolean {
  return field.startsWith("winlog.event_data.");
}

/**
 * Analysed text fields, with no keyword form: ECS `message` and `error.message`, the Windows
 * integration's PowerShell script block, and every `.text` multi-field. Elasticsearch matches the
 * words of such a field, never its characters; EQL cannot search it at all.
 */
const TEXT_FIELDS: ReadonlySet<string> = new Set(["message", "error.message", "powershell.file.script_block_text"]);

export function isTextField(field: string): boolean {
  return TEXT_FIELDS.has(field) || field.endsWith(".text");
}

/**
 * Integration fields mapped `flattened` (a whole JSON object indexed as keyword leaves under one
 * field), from the integrations' fields.yml: packages/aws data_stream/cloudtrail keeps CloudTrail's
 * request, response and additional-data objects whole under `aws.cloudtrail.flattened.*`, with
 * their keys as AWS writes them. A subfield (`….request_parameters.userName`) is searched like a
 * keyword by KQL and Lucene (term, prefix, wildcard through query_string, exists), but EQL and
 * ES|QL refuse the type: Elasticsearch answers "Cannot use field [..] with unsupported type
 * [flattened]" (elastic/elasticsearch#101985, #105637).
 */
const FLATTENED_FIELDS: readonly string[] = [
  "aws.cloudtrail.flattened.additional_eventdata",
  "aws.cloudtrail.flattened.request_parameters",
  "aws.cloudtrail.flattened.response_elements",
  "aws.cloudtrail.flattened.service_event_details",
];

/** The `flattened` field `field` is, or is a subfield of; undefined for any other field. */
export function flattenedRoot(field: string): string | undefined {
  return FLATTENED_FIELDS.find((root) => field === root || field.startsWith(`${root}.`));
}
