/**
 * What the fuzzers feed each reader and what they check. Shared by the CI tests (few runs) and
 * `npm run fuzz` (scripts/fuzz.mjs, 100,000 runs per reader), so both test the same contract:
 * a reader never throws, answers in bounded time, and every error it returns has a position; and
 * whatever a rule reader accepts converts without throwing to files that all read back as
 * intended (YAML, JSON, ndjson, conf with exactly the intended stanzas and keys).
 */
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { cpuMs } from "../helpers/cpu-time.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { ParseResult } from "../../src/diagnostics/query-error.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { printEql } from "../../src/query/eql/eql-printer.js";
import { readEsql } from "../../src/query/esql/esql-read.js";
import { printEsql } from "../../src/query/esql/esql-printer.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { printKql } from "../../src/query/kql/kql-printer.js";
import { parseCondition } from "../../src/query/sigma-condition/index.js";
import { readElasticToml, readKibanaNdjson } from "../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import type { Rule } from "../../src/ir/rule.js";
import { convertRules, type ConvertContext } from "../../src/pipeline/convert.js";
import { TARGET_NAMES, testContext } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";

export type TargetName = "kql" | "eql" | "esql" | "sigma-condition" | "rule-yaml" | "sigma-yaml" | "toml" | "ndjson";
export const FUZZ_TARGETS: readonly TargetName[] = ["kql", "eql", "esql", "sigma-condition", "rule-yaml", "sigma-yaml", "toml", "ndjson"];

/** A case slower than this is a hang; generous, since CI machines are shared. */
export const HANG_MS = 2000;

export interface FuzzTarget {
  readonly name: TargetName;
  readonly input: fc.Arbitrary<string>;
  /** `undefined` when the reader kept its contract on `text`, else what went wrong. */
  readonly check: (text: string) => string | undefined;
}

const SHARED = "../shared/corpus";

/** Syntax that matters to each reader: inserted into seeds and strung together from scratch. */
const TOKENS: Readonly<Record<TargetName, readonly string[]>> = {
  kql: ["(", ")", "{", "}", ":", '"', "\\", "*", "<", ">=", " or ", " and ", "not ", " ", "\n", "\\\\", '\\"', "a", "process.name", "cmd.exe", "1e309", "?"],
  eql: ["[", "]", "(", ")", "|", "==", "!=", ":", "~", '"', '"""', "'", "`", "?", " and ", " or ", "not ", " where ", "any", "sequence", " by ", " with maxspan=", "5m", " until ", "| head ", "| tail ", " like~ ", " regex ", " in ", "!", "-", "+", "*", "/", "%", "1e309", "99999999999999999999", "startsWith(", ",", "\\", "\n", "a.b"],
  esql: ["FROM ", " | ", "WHERE ", "STATS ", " BY ", "EVAL ", "KEEP ", "DROP ", "RENAME ", " AS ", "SORT ", "LIMIT 5", "MV_EXPAND ", "GROK ", "DISSECT ", "INLINE STATS ", "METADATA _id", '"', '"""', "`", "(", ")", "[", "]", "==", "!=", "<=", " LIKE ", " RLIKE ", " IN ", " AND ", " OR ", "NOT ", " IS NULL", "COUNT(*)", "COUNT_DISTINCT(", "TO_LOWER(", "LENGTH(", "DATE_DIFF(", "NOW()", " - 5 minutes", "MV_COUNT(", "::", ",", "%{", "(?<", "*", "?", "1e309", "99999999999999999999", "\\", "\n", "//", "/*", "a.b", "@timestamp"],
  "sigma-condition": ["(", ")", " and ", " or ", "not ", "1 of ", "all of ", "them", "sel", "sel*", "filter_", "|", " ", "AND", "_x", "*"],
  "rule-yaml": [":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "|", ">-", "#", "\n---\n", "\n...\n", "\t", "\n", "  ", "'", '"', "? ", "%YAML 1.2\n", "<<: ", "__proto__", "query: ", "1e309", "0x1F", "~", "\r\n", "\ufeff"],
  "sigma-yaml": [":", "- ", "[", "]", "{", "}", "&a ", "*a", "|", ">-", "#", "\n---\n", "\t", "\n", "  ", "'", '"', "condition: ", "|contains|all", "|re", "|base64offset", "|cidr", "|expand", "%var%", "*", "?", "\\", "__proto__", "correlation:", "\r\n"],
  toml: ["[", "]", "[[", "]]", "=", '"', "'''", '"""', ",", "{", "}", ".", "#", "\n", "\r\n", "0x", "1e9999", "inf", "nan", "1979-05-27T07:32:00Z", "__proto__", "[rule]\n", "query = ", "\\u0000", "\\"],
  ndjson: ["{", "}", "[", "]", ",", ":", '"', "\\u0000", "\\ud800", "1e999", "-0", "null", "true", "\n", "\r\n", '"rule_id"', '"__proto__"', '"query"', '"language":"eql"', "99999999999999999999999"],
};

// ---- seeds -------------------------------------------------------------------------------------

function filesUnder(dir: string, exts: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => exts.some((x) => f.endsWith(x)))
    .sort()
    .map((f) => join(dir, f));
}

/** Every `step`-th file, so seeds span the corpus while loading stays quick. */
function sample<T>(xs: readonly T[], max: number): T[] {
  const step = Math.max(1, Math.ceil(xs.length / max));
  return xs.filter((_, i) => i % step === 0);
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

function tomlRules(): Record<string, unknown>[] {
  return sample(filesUnder(`${SHARED}/elastic/rules`, [".toml"]), 300).flatMap((f) => {
    try {
      const rule = (parseToml(read(f)) as { rule?: Record<string, unknown> }).rule;
      return rule ? [rule] : [];
    } catch {
      return [];
    }
  });
}

function seedsFor(name: TargetName): string[] {
  const local = [...filesUnder("rules", [".yaml", ".yml"]), ...filesUnder("test/golden/cases", [".yaml", ".yml"])];
  switch (name) {
    case "kql":
    case "eql": {
      const language = name === "kql" ? "kuery" : "eql";
      const fromToml = tomlRules().filter((r) => r["language"] === language).map((r) => String(r["query"]));
      const fromLocal = local.map(read).flatMap((t) => (t.includes(`language: ${language}`) ? [/query: [|>]-?\n((?: {2}.*\n?)+)/.exec(t)?.[1]?.replace(/^ {2}/gm, "") ?? ""] : []));
      const builtIn = name === "kql" ? ['process.name:"cmd.exe" and not user.name:(a or b)', "a:{ b:c and d < 5 }", "*:*"] : ['sequence by host.id with maxspan=1m [process where process.name : "a*"] ![file where true] | head 5'];
      return [...builtIn, ...fromLocal, ...fromToml].filter((q) => q.length > 0);
    }
    case "esql": {
      const fromToml = tomlRules().filter((r) => r["language"] === "esql").map((r) => String(r["query"]));
      const builtIn = ['FROM logs-* METADATA _id, _index, _version | WHERE process.name == "a" AND TO_LOWER(user.name) LIKE "*x*"', 'FROM logs-* | STATS c = COUNT(*), d = COUNT_DISTINCT(host.name) BY user.name | WHERE c > 5 AND d >= 2'];
      return [...builtIn, ...fromToml];
    }
    case "sigma-condition": {
      const texts = sample(filesUnder(`${SHARED}/sigma/rules`, [".yml"]), 600).map(read);
      const conds = texts.flatMap((t) => [...t.matchAll(/^\s+condition: (.+)$/gm)].map((m) => m[1] ?? ""));
      return ["sel and not 1 of filter_*", "(a or b) and all of them", ...new Set(conds)];
    }
    case "rule-yaml":
      return local.map(read);
    case "sigma-yaml":
      return sample(filesUnder(`${SHARED}/sigma/rules`, [".yml"]), 300).map(read).concat(filesUnder("out/sigma", [".yml"]).map(read));
    case "toml":
      return sample(filesUnder(`${SHARED}/elastic/rules`, [".toml"]), 300).map(read);
    case "ndjson": {
      const lines = tomlRules().map((r) => JSON.stringify(r));
      const own = filesUnder("out/elastic", [".ndjson", ".json"]).map(read);
      // Several rules per file, as a Kibana export has them.
      const files: string[] = [...own];
      for (let i = 0; i < lines.length; i += 3) files.push(lines.slice(i, i + 3).join("\n") + "\n");
      return files;
    }
  }
}

// ---- inputs ------------------------------------------------------------------------------------

type Mutation =
  | { readonly op: "delete"; readonly at: number; readonly len: number }
  | { readonly op: "insert"; readonly at: number; readonly text: string }
  | { readonly op: "duplicate"; readonly at: number; readonly len: number; readonly to: number }
  | { readonly op: "truncate"; readonly at: number }
  | { readonly op: "replace"; readonly at: number; readonly text: string };

function mutation(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) });
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant("delete" as const), at, len: fc.nat(24) }),
    fc.record({ op: fc.constant("insert" as const), at, text: piece }),
    fc.record({ op: fc.constant("duplicate" as const), at, len: fc.nat(60), to: fc.nat() }),
    fc.record({ op: fc.constant("replace" as const), at, text: piece }),
    fc.record({ op: fc.constant("truncate" as const), at }),
  );
}

/** Positions are taken modulo the current length, so every mutation applies to every seed. */
export function applyMutations(seed: string, ms: readonly Mutation[]): string {
  let s = seed;
  for (const m of ms) {
    const at = m.at % (s.length + 1);
    switch (m.op) {
      case "delete":
        s = s.slice(0, at) + s.slice(at + m.len);
        break;
      case "insert":
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case "replace":
        s = s.slice(0, at) + m.text + s.slice(at + m.text.length);
        break;
      case "duplicate": {
        const to = m.to % (s.length + 1);
        s = s.slice(0, to) + s.slice(at, at + m.len) + s.slice(to);
        break;
      }
      case "truncate":
        s = s.slice(0, at);
        break;
    }
  }
  return s;
}

function inputFor(name: TargetName, seeds: readonly string[]): fc.Arbitrary<string> {
  const tokens = TOKENS[name];
  const fromScratch = fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 3 })), { maxLength: 40 }).map((xs) => xs.join(""));
  const raw = fc.string({ unit: "binary", maxLength: 200 });
  if (seeds.length === 0) return fc.oneof(fromScratch, raw);
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation(tokens), { minLength: 1, maxLength: 6 })).map(([s, ms]) => applyMutations(s, ms));
  return fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 2, arbitrary: fromScratch }, { weight: 1, arbitrary: raw });
}

// ---- checks ------------------------------------------------------------------------------------

function parseProblem(r: ParseResult<unknown>, text: string): string | undefined {
  if (r.ok) return undefined;
  const e = r.error;
  if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > text.length) return `error ${e.code} has offset ${e.offset} outside 0..${text.length}`;
  if (!/^[a-z-]+\/[a-z-]+$/.test(e.code) || e.message === "") return `error without a code or message: ${JSON.stringify(e)}`;
  return undefined;
}

function diagnosticProblem(ds: readonly Diagnostic[], file: string, text: string): string | undefined {
  const lines = text.split("\n").length;
  for (const d of ds) {
    if (d.file !== file || !Number.isInteger(d.line) || !Number.isInteger(d.col) || (d.line ?? 0) < 1 || (d.col ?? 0) < 1 || (d.line ?? 0) > lines + 1) {
      return `diagnostic without a position in the file: ${JSON.stringify(d)}`;
    }
    if (!/^[a-z-]+\/[a-z0-9-]+$/.test(d.code) || d.message === "") return `diagnostic without a code or message: ${JSON.stringify(d)}`;
  }
  return undefined;
}

/** Runs `f`, turning a throw or a hang into a problem. */
function guarded(f: () => string | undefined): string | undefined {
  let problem: string | undefined;
  const ms = cpuMs(() => {
    try {
      problem = f();
    } catch (e) {
      problem = `threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`;
    }
  });
  return problem ?? (ms > HANG_MS ? `took ${Math.round(ms)} ms of CPU` : undefined);
}

/** Everything the rules convert to must read back; `keep` so unmapped fields still reach every target. */
function outputProblem(rules: readonly Rule[], ctx: ConvertContext): string | undefined {
  if (rules.length === 0) return undefined;
  const problem = readBackProblem(convertRules(rules, TARGET_NAMES, ctx).files);
  return problem ? `output does not read back: ${problem}` : undefined;
}

/** A reader's result: positioned diagnostics first, then the output of what it accepted. */
function readerProblem(r: { readonly rules: readonly Rule[]; readonly diagnostics: readonly Diagnostic[] }, file: string, text: string, ctx: ConvertContext): string | undefined {
  return diagnosticProblem(r.diagnostics, file, text) ?? outputProblem(r.rules, ctx);
}

const CHECKS: Readonly<Record<TargetName, (text: string, ctx: ConvertContext) => string | undefined>> = {
  kql: (text) => {
    const r = parseKql(text);
    if (r.ok) printKql(r.value); // a parsed query must also print without throwing
    return parseProblem(r, text);
  },
  eql: (text) => {
    const r = parseEql(text);
    if (r.ok) printEql(r.value);
    return parseProblem(r, text);
  },
  esql: (text) => {
    const r = readEsql(text);
    // What the reader takes into the IR must also print back to ES|QL without throwing.
    if (r.ok && r.value.kind === "ir") printEsql(r.value.query);
    return parseProblem(r, text);
  },
  "sigma-condition": (text) => parseProblem(parseCondition(text), text),
  "rule-yaml": (text, ctx) => readerProblem(readNativeRuleFile("fuzz.yml", text), "fuzz.yml", text, ctx),
  "sigma-yaml": (text, ctx) => readerProblem(readSigmaFile("fuzz.yml", text), "fuzz.yml", text, ctx),
  toml: (text, ctx) => readerProblem(readElasticToml("fuzz.toml", text), "fuzz.toml", text, ctx),
  ndjson: (text, ctx) => readerProblem(readKibanaNdjson("fuzz.ndjson", text), "fuzz.ndjson", text, ctx),
};

export function fuzzTarget(name: TargetName): FuzzTarget {
  const check = CHECKS[name];
  const ctx = testContext({ unmapped: "keep" });
  return { name, input: inputFor(name, seedsFor(name)), check: (text) => guarded(() => check(text, ctx)) };
}
