import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseEql } from "../../../src/query/eql/eql-parser.js";
import { printEql } from "../../../src/query/eql/eql-printer.js";
import { stripSpans } from "./strip-spans.js";
import { corpusFiles } from "../../helpers/corpus-files.js";

const ROOT = "../shared/corpus/elastic/rules";

interface EqlRule {
  readonly file: string;
  readonly query: string;
}

function eqlRules(): EqlRule[] {
  return corpusFiles(ROOT, ".toml").flatMap((file) => {
    const doc = parseToml(readFileSync(file, "utf8")) as { rule?: { language?: unknown; query?: unknown } };
    const { language, query } = doc.rule ?? {};
    return language === "eql" && typeof query === "string" ? [{ file, query }] : [];
  });
}

const rules = eqlRules();

test("the corpus has the expected EQL rules", () => {
  assert.ok(rules.length >= 898, `found ${rules.length}`);
});

test("every EQL rule parses", () => {
  const failures = rules.flatMap(({ file, query }) => {
    const r = parseEql(query);
    return r.ok ? [] : [`${file}: ${r.error.code} ${r.error.message} at ${r.error.offset}`];
  });
  assert.equal(failures, [], `${failures.length} of ${rules.length} failed:\n${failures.join("\n")}`);
});

test("print(parse(q)) has no issues and re-parses to the same IR", () => {
  const failures = rules.flatMap(({ file, query }) => {
    const first = parseEql(query);
    if (!first.ok) return [];
    const printed = printEql(first.value);
    if (printed.issues.length) return [`${file}: ${printed.issues.map((i) => i.code).join(", ")}`];
    const again = parseEql(printed.text);
    if (!again.ok) return [`${file}: re-parse ${again.error.code} ${again.error.message}\n${printed.text}`];
    const same = JSON.stringify(stripSpans(again.value)) === JSON.stringify(stripSpans(first.value));
    return same ? [] : [`${file}: re-parsed IR differs\n${printed.text}`];
  });
  assert.equal(failures, [], failures.join("\n"));
});

test.run();
