/**
 * The layout of a Sigma document, written down once: SigmaHQ's key order, how each key's value is
 * written, and which keys are left out when they hold nothing. The templates
 * (templates/sigma/rule.yaml.hbs, correlation.yaml.hbs) write the fields they are given, in order;
 * the intended document that tests compare the YAML with is the same fields as an object.
 */

/** `scalar`: `key: value`; `block`: a collection (or multi-line text) under the key; `detection`: searches then condition. */
type Style = "scalar" | "block" | "detection";

interface LayoutKey {
  readonly key: string;
  readonly style: Style;
  /** Written even when empty (`description: ''`, `logsource: {}`). */
  readonly always?: boolean;
}

const head = (name: boolean): LayoutKey[] => [
  { key: "title", style: "scalar", always: true },
  { key: "id", style: "scalar", always: true },
  ...(name ? [{ key: "name", style: "scalar" as const }] : []),
  { key: "taxonomy", style: "scalar" },
  { key: "status", style: "scalar" },
  { key: "description", style: "block", always: true },
  { key: "references", style: "block" },
  { key: "author", style: "scalar" },
  { key: "date", style: "scalar" },
  { key: "modified", style: "scalar" },
  { key: "license", style: "scalar" },
  { key: "tags", style: "block" },
];
const tail: LayoutKey[] = [
  { key: "falsepositives", style: "block" },
  { key: "level", style: "scalar" },
];

/** A detection rule, and a correlation rule (which Sigma correlations name by their id alone: the correlation schema has no `name`). */
const LAYOUT = {
  rule: [...head(true), { key: "logsource", style: "block", always: true }, { key: "detection", style: "detection", always: true }, ...tail],
  correlation: [...head(false), { key: "correlation", style: "block", always: true }, ...tail],
} as const satisfies Record<string, readonly LayoutKey[]>;

export type SigmaDocumentKind = keyof typeof LAYOUT;

/** One key of the document as the template writes it. */
export interface SigmaField {
  readonly key: string;
  readonly value: unknown;
  readonly scalar?: true;
  readonly block?: true;
  readonly detection?: true;
}

/** The detection block: search identifiers (their values quoted, as SigmaHQ writes them), then the condition. */
export interface SigmaDetectionView {
  readonly searches: Record<string, unknown>;
  readonly condition: unknown;
}

const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * The fields of a document from the values by key, in layout order; keys Sigma has no place for
 * (`custom`) come last, as extra top-level keys, unless the layout wrote that key already.
 */
export function sigmaFields(kind: SigmaDocumentKind, values: Readonly<Record<string, unknown>>, custom: Readonly<Record<string, unknown>>): SigmaField[] {
  const fields: SigmaField[] = [];
  for (const k of LAYOUT[kind] as readonly LayoutKey[]) {
    const value = values[k.key];
    if (!k.always && empty(value)) continue;
    fields.push({ key: k.key, value, [k.style]: true });
  }
  // A custom key the layout already wrote (an unknown `status` the reader warned about) would repeat
  // a key, which no YAML reader accepts: the layout's value is the one written.
  const written = new Set(fields.map((f) => f.key));
  for (const [key, value] of Object.entries(custom)) if (!written.has(key)) fields.push({ key, value, block: true });
  return fields;
}

/** What the YAML of these fields reads back as. */
export function sigmaDocument(fields: readonly SigmaField[]): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const f of fields) {
    const d = f.detection ? (f.value as SigmaDetectionView) : undefined;
    doc[f.key] = d ? { ...d.searches, condition: d.condition } : f.value;
  }
  return doc;
}
