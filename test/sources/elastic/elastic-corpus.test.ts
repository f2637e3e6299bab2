import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { changedFields } from "../../../src/targets/native/index.js";
import type { Rule } from "../../../src/ir/rule.js";
import { loadTemplates } from "../../../src/render/templates.js";
import { readElasticToml } from "../../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../../src/sources/native/read-native-rule.js";
import { writeNativeRule } from "../../../src/targets/native/native-rule-writer.js";

const ROOT = "../shared/corpus/elastic/rules";
/** Measured: all 1,335 files read. The bound only lets the count shrink, never grow. */
const MAX_UNREADABLE = 0;
/**
 * Measured: 54 rules have a type the rule-file schema lacks (45 machine_learning, 9 threat_match);
 * every other rule round-trips. The bound only lets the count shrink.
 */
const MAX_NOT_REPRESENTABLE = 54;
const NATIVE_TYPES = new Set(["query", "eql", "threshold", "esql", "new_terms"]);

function tomlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tomlFiles(p) : e.name.endsWith(".toml") ? [p] : [];
  });
}

const files = tomlFiles(ROOT).sort();
const rules: Rule[] = [];

test("every detection-rules TOML file reads into a rule", () => {
  assert.ok(files.length >= 1335, `expected the Elastic corpus at ${ROOT}, found ${files.length} files`);
  const started = Date.now();
  const reasons = new Map<string, number>();
  let unreadable = 0;
  for (const f of files) {
    const r = readElasticToml(f, readFileSync(f, "utf8"));
    rules.push(...r.rules);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (r.rules.length === 1 && errors.length === 0) continue;
    unreadable++;
    for (const e of errors.length ? errors : [{ code: "no-rule" }]) reasons.set(e.code, (reasons.get(e.code) ?? 0) + 1);
  }
  console.log(`elastic corpus: ${files.length} files, ${rules.length} rules, ${unreadable} unreadable in ${Date.now() - started} ms`);
  for (const [code, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${code}`);
  assert.ok(unreadable <= MAX_UNREADABLE, `${unreadable} files did not read, more than the ${MAX_UNREADABLE} measured`);
});

test("every KQL and EQL query parses (none is left opaque) and its position points at its text", () => {
  const parsed = rules.filter((r) => r.language === "kuery" || r.language === "eql");
  assert.ok(parsed.length >= 1170, `only ${parsed.length} KQL/EQL rules`);
  const opaque = parsed.filter((r) => r.type !== "machine_learning" && r.query.kind === "opaque").map((r) => r.source.file);
  assert.equal(opaque, []);
  const counts = new Map<string, number>();
  for (const r of rules) {
    const key = `${r.type}/${r.query.kind === "opaque" ? `opaque ${r.query.language}` : r.language}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`  by type/language: ${[...counts].sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
  const misplaced = rules.filter((r) => {
    if (!r.queryText) return false;
    const line = readFileSync(r.source.file, "utf8").split("\n")[r.source.queryLine! - 1] ?? "";
    return !line.slice(r.source.queryCol! - 1).startsWith(r.queryText.split("\n")[0]!);
  });
  assert.equal(misplaced.map((r) => r.source.file), []);
});

test("TOML → Rule → rule file → Rule gives the same rule, field by field, for every rule the schema can hold", () => {
  const started = Date.now();
  const templates = loadTemplates();
  const reasons = new Map<string, number>();
  let representable = 0;
  let notRepresentable = 0;
  for (const rule of rules) {
    if (!NATIVE_TYPES.has(rule.type)) {
      notRepresentable++;
      reasons.set(`type ${rule.type}`, (reasons.get(`type ${rule.type}`) ?? 0) + 1);
      continue;
    }
    representable++;
    const back = readNativeRuleFile("x.yaml", writeNativeRule(rule, templates));
    assert.equal(back.diagnostics, [], rule.source.file);
    assert.equal(changedFields(rule, back.rules[0]!), [], rule.source.file);
  }
  console.log(`  round trip: ${representable} of ${rules.length} rules in ${Date.now() - started} ms; not representable: ${[...reasons].map(([k, n]) => `${n} × ${k}`).join(", ")}`);
  assert.ok(notRepresentable <= MAX_NOT_REPRESENTABLE, `${notRepresentable} rules cannot be rule files, more than the ${MAX_NOT_REPRESENTABLE} measured`);
});

test.run();
