import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { parseKql } from "../../../src/query/kql/kql-parser.js";
import { printKql } from "../../../src/query/kql/kql-printer.js";
import { normalise } from "./strip-spans.js";

const ROOT = "../shared/corpus/elastic/rules";

interface KqlQuery {
  readonly file: string;
  readonly text: string;
}

/** `rule.query` of every rule whose `rule.language` is `kuery`, and kuery `threat_query`s (indicator match). */
function kueryQueries(): KqlQuery[] {
  const files = readdirSync(ROOT, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".toml")).sort();
  const out: KqlQuery[] = [];
  for (const file of files) {
    const { rule } = parse(readFileSync(join(ROOT, file), "utf8")) as { rule?: Record<string, unknown> };
    if (rule?.["language"] === "kuery" && typeof rule["query"] === "string") out.push({ file, text: rule["query"] });
    const threat = rule?.["threat_query"];
    if (rule?.["threat_language"] === "kuery" && typeof threat === "string") out.push({ file: `${file}#threat_query`, text: threat });
  }
  return out;
}

const queries = kueryQueries();

test("every kuery rule of the Elastic corpus parses", () => {
  const failures = queries.flatMap(({ file, text }) => {
    const r = parseKql(text);
    return r.ok ? [] : [`${file}: ${r.error.code} @${r.error.offset} ${r.error.message}`];
  });
  const rules = queries.filter((q) => !q.file.endsWith("#threat_query")).length;
  console.log(`kql corpus: ${queries.length - failures.length}/${queries.length} kuery queries parse (${rules} rule queries, ${queries.length - rules} threat queries)`);
  assert.ok(rules >= 282, `found only ${rules} kuery rules`);
  assert.equal(failures, []);
});

test("print(parse(q)) re-parses to the same IR for every kuery rule", () => {
  const failures = queries.flatMap(({ file, text }) => {
    const first = parseKql(text);
    if (!first.ok) return [];
    const printed = printKql(first.value);
    const errors = printed.issues.filter((i) => i.severity === "error");
    if (errors.length > 0) return [`${file}: printer ${errors.map((e) => e.code).join(", ")}`];
    const again = parseKql(printed.text);
    if (!again.ok) return [`${file}: re-parse ${again.error.code} @${again.error.offset} in ${printed.text}`];
    const same = JSON.stringify(normalise(again.value)) === JSON.stringify(normalise(first.value));
    return same ? [] : [`${file}: IR differs after printing as ${printed.text}`];
  });
  console.log(`kql corpus: ${queries.length - failures.length}/${queries.length} round-trip through the printer`);
  assert.equal(failures, []);
});

test.run();
