/**
 * Everything a conversion writes, read back with each format's reader and held against what it was
 * meant to be (`document`): Sigma YAML (every document, no repeated key), rule JSON, the ndjson
 * bundle (one line per rule file, the same objects), savedsearches.conf (exactly the intended
 * stanzas, comments and keys, each search the rule's .spl). Shared by the hostile and fuzz tests.
 */
import { parseAllDocuments } from "yaml";
import type { OutputFile } from "../../src/pipeline/convert.js";
import { readConf } from "../../src/render/conf-reader.js";

/** The first file that does not read back as intended, as `path: why`; undefined when all do. */
export function readBackProblem(files: readonly OutputFile[]): string | undefined {
  for (const f of files) {
    const problem = fileProblem(f, files);
    if (problem) return `${f.target}/${f.path}: ${problem}`;
  }
  return undefined;
}

function fileProblem(f: OutputFile, all: readonly OutputFile[]): string | undefined {
  if (f.target === "sigma") return sigmaProblem(f);
  if (f.target === "elastic" && f.path === "rules.ndjson") return ndjsonProblem(f, all.filter((x) => x.target === "elastic" && x.path.endsWith(".json")));
  if (f.target === "elastic") return jsonProblem(f);
  if (f.path === "savedsearches.conf") return confProblem(f, all.filter((x) => x.target === "splunk" && x.path.endsWith(".spl")));
  return f.path.endsWith(".spl") ? undefined : "a file no check knows";
}

function sigmaProblem(f: OutputFile): string | undefined {
  const docs = parseAllDocuments(f.content, { uniqueKeys: true });
  if (!Array.isArray(docs)) return "no YAML document";
  for (const d of docs) {
    const e = d.errors[0] ?? d.warnings[0];
    if (e) return `YAML: ${e.message.split("\n")[0]}`;
  }
  return sameValue(docs.map((d) => d.toJS() as unknown), f.document);
}

function jsonProblem(f: OutputFile): string | undefined {
  try {
    return sameValue(JSON.parse(f.content), f.document);
  } catch (e) {
    return `JSON: ${String(e)}`;
  }
}

function ndjsonProblem(f: OutputFile, rules: readonly OutputFile[]): string | undefined {
  if (!f.content.endsWith("\n")) return "no final newline";
  const lines = f.content.slice(0, -1).split("\n");
  if (lines.length !== rules.length) return `${lines.length} lines for ${rules.length} rule files`;
  for (const [i, l] of lines.entries()) {
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch (e) {
      return `line ${i + 1}: ${String(e)}`;
    }
    const problem = sameValue(v, rules[i]!.document);
    if (problem) return `line ${i + 1}: ${problem}`;
  }
  return undefined;
}

interface IntendedStanza {
  readonly name: string;
  readonly comments: readonly string[];
  readonly keys: Readonly<Record<string, string>>;
}

function confProblem(f: OutputFile, spls: readonly OutputFile[]): string | undefined {
  const read = readConf(f.content);
  const p = read.problems[0];
  if (p) return `line ${p.line}: ${p.message}`;
  const got = read.stanzas.map((s) => ({ name: s.name, comments: s.comments, keys: Object.fromEntries(s.keys) }));
  const intended = f.document as readonly IntendedStanza[];
  if (got.length !== intended.length) return `${got.length} stanzas (${got.map((s) => `[${s.name}]`).join(" ")}), not ${intended.length}`;
  for (const [i, s] of got.entries()) {
    const want = intended[i]!;
    if (s.name !== want.name) return `stanza ${i + 1} is [${s.name}], not [${want.name}]`;
    const keys = Object.keys(s.keys).sort().join(" ");
    if (keys !== Object.keys(want.keys).sort().join(" ")) return `[${s.name}] has the keys ${keys}`;
    const problem = sameValue(s, want);
    if (problem) return `[${s.name}]: ${problem}`;
    if (s.keys["search"] !== spls[i]?.content.trim()) return `[${s.name}]: the search is not the rule's .spl`;
  }
  return undefined;
}

/** Deep equality of JSON-like values (key order aside); the first difference, or undefined. */
export function sameValue(got: unknown, want: unknown, path = "$"): string | undefined {
  if (Object.is(got, want)) return undefined;
  if (Array.isArray(got) && Array.isArray(want)) {
    if (got.length !== want.length) return `${path}: ${got.length} items, not ${want.length}`;
    for (let i = 0; i < got.length; i++) {
      const p = sameValue(got[i], want[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (got !== null && want !== null && typeof got === "object" && typeof want === "object" && !Array.isArray(got) && !Array.isArray(want)) {
    const a = got as Record<string, unknown>;
    const b = want as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!Object.hasOwn(a, k) || !Object.hasOwn(b, k)) return `${path}.${k}: ${Object.hasOwn(a, k) ? "not intended" : "missing"}`;
      const p = sameValue(a[k], b[k], `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${path}: ${JSON.stringify(got)?.slice(0, 120)}, not ${JSON.stringify(want)?.slice(0, 120)}`;
}
