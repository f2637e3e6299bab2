/**
 * One problem, one line: user text (rule ids, titles, names, file names, config values, sample
 * names, output file names, --check diffs) is printed escaped, so a rule cannot end a line, rewrite
 * it (CR, ESC), reorder it (bidi controls), or start a CI workflow command (`::error …` at the
 * start of a line, `##[error]`/`##vso[` anywhere). Reports (JSON, SARIF, JUnit) are structured and
 * carry the text itself, safely encoded.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { oneLine, safeLines } from "../../src/diagnostics/display-text.js";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";

/** What may never appear raw on a printed line (the newline only ends it). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const WORKFLOW_COMMAND = /^\s*::|##\[|##vso\[/;

/** Every line of a log: nothing unsafe, no workflow command (tabs only where they separate columns). */
function assertSafeLog(text: string, what: string, tabs = false): void {
  for (const line of text.split("\n")) {
    assert.not.match(tabs ? line.replace(/\t/g, " ") : line, UNSAFE, `${what}: unsafe character in ${JSON.stringify(line)}`);
    assert.not.match(line, WORKFLOW_COMMAND, `${what}: workflow command in ${JSON.stringify(line)}`);
  }
}

/** One of each kind of character that breaks, rewrites or reorders a line, or starts a command. */
const HOSTILE: readonly (readonly [string, string])[] = [
  ["LF", "a\nb"],
  ["CR", "a\rb"],
  ["CRLF", "a\r\nb"],
  ["VT and FF", "a\u000b\u000cb"],
  ["NEL (C1)", "a\u0085b"],
  ["CSI (C1)", "a\u009b31mb"],
  ["ESC colour", "a\u001b[31mred\u001b[0m"],
  ["ESC erase line", "\u001b[2K\u001b[1Gok"],
  ["NUL and DEL", "a\u0000b\u007f"],
  ["backspace", "abc\b\b\bxyz"],
  ["tab", "a\tb"],
  ["line separator", "a\u2028b"],
  ["paragraph separator", "a\u2029b"],
  ["right-to-left override", "a\u202eexe.yml"],
  ["isolates and marks", "\u2066a\u2069\u200f\u200e\u061c"],
  ["BOM", "\ufeffa"],
  ["half a surrogate pair", "a\ud800b\udc00"],
  ["forged diagnostic", "x\nrules/other.yml:1:1: error forged/line: forged"],
  ["GitHub command after a newline", "x\n::error file=README.md,line=1::forged"],
  ["GitHub command after blanks", "x\n   ::warning::forged"],
  ["GitHub command at the start", "::error::forged"],
  ["GitHub command after CR", "x\r::add-mask::secret"],
  ["old GitHub syntax", "x ##[error]forged"],
  ["Azure Pipelines", "x ##vso[task.logissue type=error]forged"],
  ["stop-commands", "\n::stop-commands::token\n"],
];

test("formatDiagnostic: hostile text in every field stays on one safe line", () => {
  for (const [what, s] of HOSTILE) {
    const fields: Diagnostic[] = [
      { severity: "error", code: "x/y", message: s },
      { severity: "error", code: "x/y", message: "m", file: s, line: 1, col: 1 },
      { severity: "warning", code: "x/y", message: "m", ruleId: s },
      { severity: "info", code: "x/y", message: "m", hint: s },
      { severity: "error", code: s, message: "m" },
    ];
    for (const d of fields) {
      const line = formatDiagnostic(d);
      assert.not.ok(line.includes("\n"), `${what}: ${JSON.stringify(line)}`);
      assertSafeLog(line, what);
    }
  }
});

test("formatDiagnostic: a file name that looks like a command is shown as ./name; text without hostile characters is kept as is", () => {
  assert.is(formatDiagnostic({ severity: "error", code: "c/d", message: "m", file: "::error::x.yml", line: 2, col: 3 }), "./::error::x.yml:2:3: error c/d: m");
  assert.is(formatDiagnostic({ severity: "error", code: "c/d", message: "m", file: "  ::x.yml" }), "./  ::x.yml:1:1: error c/d: m");
  const plain = "C:\\Windows\\*.exe 'quoted' \"double\" :: # ## [x] 😀 é ünïcödé";
  assert.is(formatDiagnostic({ severity: "warning", code: "a/b", message: plain, ruleId: plain, hint: plain, file: "rules/x.yml", line: 1, col: 2 }), `rules/x.yml:1:2: warning a/b: ${plain} [rule ${plain}] (hint: ${plain})`);
  assert.is(oneLine("a\nb\rc\u001bd\u202e"), "a\\nb\\rc\\u001bd\\u202e");
});

test("law: any text in any field gives one line with nothing unsafe; escaping twice changes nothing", () => {
  const text = fc.string({ unit: "binary", maxLength: 30 });
  const hostileText = fc.oneof(text, fc.constantFrom(...HOSTILE.map(([, s]) => s)), fc.tuple(text, fc.constantFrom("\n::", "##[", "##vso[", "\r", "\u2028"), text).map((p) => p.join("")));
  fc.assert(
    fc.property(hostileText, hostileText, hostileText, hostileText, (message, file, ruleId, hint) => {
      const line = formatDiagnostic({ severity: "error", code: "x/y", message, file, line: 1, col: 1, ruleId, hint });
      return !line.includes("\n") && !UNSAFE.test(line) && !WORKFLOW_COMMAND.test(line) && oneLine(message) === oneLine(oneLine(message));
    }),
    { numRuns: 3000, seed: 13 },
  );
});

test("safeLines keeps the line structure of a diff and neutralises each line", () => {
  const diff = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n   ::error::x\n-old ##[error]y\n+new\r\n";
  const out = safeLines(diff);
  assert.is(out.split("\n").length, diff.split("\n").length);
  assertSafeLog(out, "diff");
  assert.ok(out.startsWith("--- a\n+++ b\n@@ -1,2 +1,2 @@\n"));
});

// ---- through the CLI ----------------------------------------------------------------------------

/** A Sigma rule whose id, title and description carry the hostile text, with one error (an unknown modifier). */
function hostileSigma(s: string, n: number): string {
  const q = JSON.stringify(s);
  return SIGMA_RULE.replace("title: Whoami Execution", `title: ${q}`)
    .replace("id: 8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f60", `id: ${q}`)
    .replace("Image|endswith:", `Image|bogus${n}:`);
}

test("convert and check: hostile ids and titles in diagnostics and reports stay one line each", () => {
  const files: Record<string, string> = {};
  HOSTILE.forEach(([, s], i) => (files[`rules/r${String(i).padStart(2, "0")}.yml`] = hostileSigma(s, i)));
  const dir = tempTree(files);
  for (const args of [["convert", "rules", "--to", "sigma"], ["check", "rules"]]) {
    const r = rulecast([...args, "--report", "json", "r.json"], dir);
    assert.is(r.code, 1, r.stderr);
    assertSafeLog(r.stderr, args[0]!);
    const lines = r.stderr.trimEnd().split("\n");
    const diagnosticLines = lines.filter((l) => /^rules\/r\d\d\.yml:\d+:\d+: /.test(l));
    // Each rule: its id refused (a control character) or warned about (not a UUID) where it is read,
    // and its bad modifier: at most two lines, each a whole diagnostic: nothing the hostile text held started a line of its own.
    const perFile = new Map<string, number>();
    for (const l of diagnosticLines) perFile.set(l.slice(0, l.indexOf(":")), (perFile.get(l.slice(0, l.indexOf(":"))) ?? 0) + 1);
    assert.is(perFile.size, HOSTILE.length, `a line for every rule:\n${r.stderr}`);
    assert.ok([...perFile.values()].every((n) => n <= 2), `at most two lines per rule:\n${r.stderr}`);
    assert.ok(lines.every((l) => /^rules\/r\d\d\.yml:\d+:\d+: (error|warning) (sigma\/invalid-id|sigma\/id-not-uuid|sigma\/unknown-modifier|input\/unpaired-surrogate): /.test(l) || /^(\d+ (rules?:|rules checked)|failed rules by|nothing written)/.test(l)), r.stderr);
    // The JSON report is structured: every file has its findings, and an id it names is exact.
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { findings: { file: string; ruleId?: string }[] };
    for (const [i, [what, s]] of HOSTILE.entries()) {
      const mine = report.findings.filter((x) => x.file === `rules/r${String(i).padStart(2, "0")}.yml`);
      assert.ok(mine.length > 0, what);
      for (const f of mine) if (f.ruleId !== undefined) assert.is(f.ruleId, s, what);
    }
  }
});

test("SARIF and JUnit reports carry hostile text safely: SARIF refuses hostile ids by name, JUnit writes titles as XML character references", () => {
  const dir = tempTree({ "rules/a.yml": hostileSigma("a\r\n::error::x\u001b[31m\t\u202e", 0), "rules/b.yml": SIGMA_RULE.replace("title: Whoami Execution", 'title: "T <&> \\" \\n::warning::y"') });
  rulecast(["check", "rules", "--report", "sarif", "r.sarif", "--fail-on", "warning"], dir);
  const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8")) as { runs: { results: { ruleId: string; message: { text: string }; properties?: Record<string, unknown> }[] }[] };
  // An id with control characters is refused where it is read: SARIF says so and never echoes it.
  assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === "sigma/invalid-id"), "the hostile id is refused by name");
  assert.not.ok(JSON.stringify(sarif).includes("::error::"), "the hostile id is not echoed");
  rulecast(["check", "rules", "--report", "junit", "r.xml"], dir);
  const xml = readFileSync(join(dir, "r.xml"), "utf8");
  assert.not.match(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\r\t]/, "no raw control characters; CR and tab as references");
  // Each attribute value is well-formed: no raw `<`, `&` outside a reference, or `"`.
  for (const m of xml.matchAll(/ (\w+)="([^"]*)"/g)) assert.not.match(m[2]!, /<|&(?!(amp|lt|gt|quot|#\d+);)/, m[0]);
  assert.ok(xml.includes('name="T &lt;&amp;&gt; &quot; &#10;::warning::y [8a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f60]"'), xml);
  // One test case per rule or problem (b's rule, a's refused id and bad modifier): the forged lines opened none.
  assert.is((xml.match(/<testcase /g) ?? []).length, 3, xml);
  assert.not.match(xml, /\n\s*::/);
});

test("a rule file name with a newline or a command prefix is escaped on its diagnostic line", () => {
  const dir = tempTree({});
  mkdirSync(join(dir, "rules"));
  const names = ["a\n::error::forged.yml", "::warning::b.yml", "c\u001b[2Kd.yml", "e\u202eexe.yml"];
  for (const n of names) writeFileSync(join(dir, "rules", n), hostileSigma("id", 1));
  for (const n of names) writeFileSync(join(dir, n), hostileSigma("id", 2));
  const r = rulecast(["check", "rules", ...names], dir);
  assert.is(r.code, 1);
  assertSafeLog(r.stderr, "check");
  assert.match(r.stderr, /^rules\/a\\n::error::forged\.yml:10:5: error sigma\/unknown-modifier/m);
  assert.match(r.stderr, /^\.\/::warning::b\.yml:10:5: error sigma\/unknown-modifier/m);
  assert.match(r.stderr, /^rules\/e\\u202eexe\.yml:10:5: /m);
});

test("test: hostile rule and sample names print one verdict line each", () => {
  const native = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");
  const rule = native
    .replace("name: Encoded PowerShell From Office Parent", 'name: "N\\n::error::forged\\r\\u001b[2K"')
    .replace(/query: >-\n(?: {2}.*\n)+/, "query: 'process.name:a'\n")
    .concat("samples:\n  match:\n    - {process: {name: a}}\n  no_match:\n    - {process: {name: a}}\n");
  const dir = tempTree({ "rules/r.yml": rule, "rules/s.yml": native.replace("rule_id: 3f0c", "rule_id: 4f0c").replace("name: Encoded PowerShell From Office Parent", 'name: "##[error]E"') });
  const r = rulecast(["test", "rules", "--per-event"], dir);
  assert.is(r.code, 1, r.stderr);
  assertSafeLog(r.stdout, "stdout");
  assertSafeLog(r.stderr, "stderr");
  assert.match(r.stdout, /^FAIL N\\n::error::forged\\r\\u001b\[2K \(rules\/r\.yml:\d+\): 1\/2 as expected$/m);
  assert.match(r.stdout, /^FAIL #\\u0023\[error\]E \(rules\/s\.yml:\d+\): no samples to test$/m);
  assert.is(r.stdout.trimEnd().split("\n").length, 4, r.stdout);
});

test("list fields, usage errors and config values: user text on one safe line", () => {
  const dir = tempTree({ "rulecast.config.yaml": 'mappings:\n  sigma-splunk:\n    "::error::x": "y\\n::warning::z"\n    "a\\u001b[31m": b\n', "rules/a.yml": SIGMA_RULE });
  const list = rulecast(["list", "fields", "--mapping", "sigma-splunk"], dir);
  assert.is(list.code, 0, list.stderr);
  assertSafeLog(list.stdout, "list", true);
  assert.match(list.stdout, /^\\u003a:error::x\ty\\n::warning::z$/m);
  const usages: [string[], RegExp][] = [
    [["check", "rules", "--pattern", "(\n::error::x"], /^rulecast: --pattern is not a valid regular expression: \(\\n::error::x$/m],
    [["convert", "rules", "--splunk-app", "a\n::error::b"], /^rulecast: --splunk-app: `a\\n::error::b` is not a Splunk app name/m],
    [["convert", "missing\n::error::c"], /^rulecast: no such file or directory: .*missing\\n::error::c$/m],
    [["convert", "rules", "--to", "sigma\n##[error]d"], /^rulecast: unknown target `sigma\\n#\\u0023\[error\]d`/m],
    [["convert", "rules", "--naming", "{x\n::error::e}"], /^rulecast: --naming: unknown placeholder/m],
  ];
  for (const [args, want] of usages) {
    const r = rulecast(args, dir);
    assert.is(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertSafeLog(r.stderr, args.join(" "));
    assert.match(r.stderr, want);
    assert.is(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  }
});

test("--check: the header and the diff of a file whose content has command lines are safe", () => {
  const hostile = SIGMA_RULE.replace("description: Detects whoami.exe.", 'description: "Detects\\n::error file=x::forged\\n  ::warning::indented\\n##vso[task.complete]"');
  const dir = tempTree({ "rules/a.yml": hostile });
  assert.is(rulecast(["convert", "rules", "--to", "sigma", "--out", "out"], dir).code, 0);
  const outFile = join(dir, "out/sigma/whoami_execution.yml");
  const written = readFileSync(outFile, "utf8");
  assert.match(written, /^\s*::error file=x::forged$/m, "the output holds the lines (as YAML block text)");
  // A stale line next to them: the diff shows them as context lines, which start with a blank.
  writeFileSync(outFile, written.replace("status: test", "status: stable"));
  const r = rulecast(["convert", "rules", "--to", "sigma", "--out", "out", "--check"], dir);
  assert.is(r.code, 1, r.stderr);
  assertSafeLog(r.stdout, "diff");
  assertSafeLog(r.stderr, "check");
  assert.match(r.stderr, /^out\/sigma\/whoami_execution\.yml: differs from a fresh conversion$/m);
  assert.match(r.stdout, /^\s+\\u003a:error file=x::forged$/m);
  assert.match(r.stdout, /^-status: stable$/m);
});

test.run();
