/**
 * Encoding: bytes that are not UTF-8, and escapes that write half of a UTF-16 surrogate pair, get
 * one answer whichever way they come in (a path, a folder, stdin, `import`, the config, a template,
 * an events file) and through every reader (rule YAML, Sigma YAML, Kibana JSON and ndjson,
 * detection-rules TOML, KQL and EQL escapes): refused, with the position of the byte or escape.
 * Before, stdin and import turned them into U+FFFD silently, and so did every writer with a lone
 * surrogate: the rule then matched other text than it said.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { isUtf8 } from "node:buffer";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { decodeUtf8 } from "../../src/input/read-text.js";
import { parseConfig } from "../../src/config/config-file.js";
import { BUILTIN_CONFIG } from "../helpers/declarations.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";
import { CLI, rulecast, SIGMA_RULE, tempTree, type CliRun } from "../helpers/cli.js";

const NATIVE = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");
const NATIVE_EQL = readFileSync("rules/psexec_network_connection.yaml", "utf8");
const KIBANA = JSON.stringify(JSON.parse(readFileSync("out/elastic/psexec_network_connection.json", "utf8")), null, 2);
const TOML = `[metadata]
creation_date = "2020/02/18"
updated_date = "2024/05/21"

[rule]
author = ["Elastic"]
description = "d"
from = "now-9m"
index = ["logs-endpoint.events.*"]
language = "kuery"
name = "Test Rule"
risk_score = 47
rule_id = "00000000-1111-2222-3333-444444444444"
severity = "medium"
type = "query"
query = 'process.name:cmd.exe'
`;

/** The CLI with raw bytes on stdin (the helper sends text). */
function rulecastBytes(args: readonly string[], cwd: string, input: Buffer): CliRun {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RULECAST_")));
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: "utf8", env: { ...env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function errors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

/** Exactly one error: that code at that line and column, and no rule read from the text. */
function refusedAt(path: string, text: string, code: string, line: number, col: number): void {
  const r = readRules([{ path, text }]);
  const es = errors(r.diagnostics);
  assert.equal(es.map((d) => `${d.line}:${d.col} ${d.code}`), [`${line}:${col} ${code}`], `${path}: ${es.map(formatDiagnostic).join("\n")}`);
  assert.is(r.rules.length, 0, path);
}

/** Line and column (1-based) of the first occurrence of `needle`. */
function at(text: string, needle: string): [number, number] {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i).split("\n");
  return [before.length, before[before.length - 1]!.length + 1];
}

// ---- bytes that are not UTF-8 ---------------------------------------------------------------------

/** Each is refused at the byte where the sequence that cannot be a character starts. */
const BAD_BYTES: readonly (readonly [string, readonly number[]])[] = [
  ["a lone continuation byte", [0x80]],
  ["0xFF", [0xff]],
  ["an overlong slash", [0xc0, 0xaf]],
  ["a surrogate encoded as UTF-8 (CESU)", [0xed, 0xa0, 0x80]],
  ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ["a lead byte without its continuation", [0xc3, 0x28]],
  ["Latin-1 é", [0xe9]],
];

test("invalid UTF-8 in every form: refused at the first bad byte with its byte offset, line and column", () => {
  for (const [what, bytes] of BAD_BYTES) {
    const head = Buffer.from("title: T\nname: ab");
    const r = decodeUtf8(Buffer.concat([head, Buffer.from(bytes), Buffer.from("\n")]), "x.yml");
    assert.ok(!r.ok, what);
    if (!r.ok) {
      assert.is(r.diagnostic.code, "input/invalid-utf8", what);
      assert.equal([r.diagnostic.line, r.diagnostic.col], [2, 9], what);
      assert.match(r.diagnostic.message, new RegExp(`byte 0x${bytes[0]!.toString(16).toUpperCase()} at byte offset ${head.length} `), what);
    }
  }
  const truncated = decodeUtf8(Buffer.from([0x61, 0xe2, 0x82]), "t.yml");
  assert.ok(!truncated.ok && /byte 0xE2 at byte offset 1 /.test(truncated.diagnostic.message), "a sequence cut off by the end of the file");
  const halfReplacement = decodeUtf8(Buffer.from([0x61, 0xef, 0xbf]), "t.yml");
  assert.ok(!halfReplacement.ok && /byte 0xEF at byte offset 1 /.test(halfReplacement.diagnostic.message), "U+FFFD cut off");
  assert.equal(decodeUtf8(Buffer.from("é \ufffd 😀", "utf8"), "ok.yml"), { ok: true, text: "é \ufffd 😀" });
});

test("law: the reported byte starts the first sequence that is no character, and everything before it is UTF-8", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (arr) => {
      const bytes = Buffer.from(arr);
      const r = decodeUtf8(bytes, "f");
      if (isUtf8(bytes)) return r.ok && r.text === bytes.toString("utf8");
      if (r.ok) return false;
      const offset = Number(/at byte offset (\d+)/.exec(r.diagnostic.message)?.[1]);
      const startsNoCharacter = [1, 2, 3, 4].every((k) => offset + k > bytes.length || !isUtf8(bytes.subarray(offset, offset + k)));
      return isUtf8(bytes.subarray(0, offset)) && startsNoCharacter;
    }),
    { numRuns: 2000, seed: 13 },
  );
});

test("invalid UTF-8 by path, in a folder, on stdin and through import: the same error at the same place", () => {
  const bad = Buffer.concat([Buffer.from(SIGMA_RULE.replace("Detects whoami.exe.", "Detects ")), Buffer.from([0xe9]), Buffer.from("\n")]);
  const dir = tempTree({ "ok/b.yml": SIGMA_RULE.replace("8a0f3c1e", "9a0f3c1e").replace("Whoami Execution", "Other") });
  mkdirSync(join(dir, "rules"));
  writeFileSync(join(dir, "rules/bad.yml"), bad);
  writeFileSync(join(dir, "bad.yml"), bad);
  const where = at(bad.toString("latin1"), "\u00e9");
  const line = (file: string) => new RegExp(`^${file.replace(/[.<>]/g, "\\$&")}:${where[0]}:${where[1]}: error input/invalid-utf8: not UTF-8: byte 0xE9 at byte offset ${bad.indexOf(0xe9)} `, "m");
  const byPath = rulecast(["convert", "bad.yml", "--to", "sigma"], dir);
  assert.is(byPath.code, 1);
  assert.match(byPath.stderr, line("bad.yml"));
  const inFolder = rulecast(["convert", "rules", "ok", "--to", "sigma", "--skip-errors", "--out", "out"], dir);
  assert.is(inFolder.code, 1);
  assert.match(inFolder.stderr, line("rules/bad.yml"));
  assert.match(inFolder.stderr, /^1 rule: 1 converted to every target, 0 to some, 0 to none, 0 skipped; 1 file failed to load$/m);
  const piped = rulecastBytes(["convert", "-", "--to", "sigma"], dir, bad);
  assert.is(piped.code, 1, piped.stderr);
  assert.match(piped.stderr, line("<stdin>"));
  assert.not.match(piped.stdout, /\ufffd/);
  const imported = rulecast(["import", "rules", "ok", "--out", "imported"], dir);
  assert.is(imported.code, 1);
  assert.match(imported.stderr, line("rules/bad.yml"));
  const tested = rulecast(["test", "rules"], dir);
  assert.is(tested.code, 1);
  assert.match(tested.stderr, line("rules/bad.yml"));
});

test("invalid UTF-8 in the config, a template or an events file: exit 2, one line with the byte offset", () => {
  const dir = tempTree({ "rules/a.yml": SIGMA_RULE, "tpl/sigma/.keep": "" });
  writeFileSync(join(dir, "rulecast.config.yaml"), Buffer.concat([Buffer.from("targets: [sigma]\nvars: {a: \""), Buffer.from([0xff]), Buffer.from("\"}\n")]));
  const config = rulecast(["convert", "rules"], dir);
  assert.is(config.code, 2);
  assert.match(config.stderr, /^rulecast: cannot read config file: rulecast\.config\.yaml:2:12: error input\/invalid-utf8: not UTF-8: byte 0xFF at byte offset 28 /m);
  writeFileSync(join(dir, "rulecast.config.yaml"), "targets: [sigma]\n");
  writeFileSync(join(dir, "tpl/sigma/rule.yaml.hbs"), Buffer.concat([Buffer.from("title: {{yaml title}}\n# "), Buffer.from([0xc0, 0x80]), Buffer.from("\n")]));
  const template = rulecast(["convert", "rules", "--templates", "tpl", "--out", "out"], dir);
  assert.is(template.code, 2);
  assert.match(template.stderr, /^rulecast: cannot read template: .*tpl\/sigma\/rule\.yaml\.hbs:2:3: error input\/invalid-utf8: not UTF-8: byte 0xC0 at byte offset 24 /m);
  const head = Buffer.from('[{"Image": "C:\\\\');
  writeFileSync(join(dir, "events.json"), Buffer.concat([head, Buffer.from([0xfe]), Buffer.from('"}]\n')]));
  const events = rulecast(["test", "rules", "--events", "events.json", "--expect", "match"], dir);
  assert.is(events.code, 2);
  assert.match(events.stderr, new RegExp(`^rulecast: cannot read events file: events\\.json:1:${head.length + 1}: error input/invalid-utf8: not UTF-8: byte 0xFE at byte offset ${head.length} `, "m"));
});

// ---- half surrogate pairs -----------------------------------------------------------------------

/** Escapes that write half a pair, as JSON, YAML double-quoted scalars (and TOML) spell them. */
const HALVES = ["\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\udc00\\ud800"];

test("Kibana JSON and ndjson: a half pair anywhere (value, key, query, nested) is refused at its escape", () => {
  for (const half of HALVES) {
    const cases = [
      KIBANA.replace('"name": "PsExec Network Connection"', `"name": "PsExec ${half} Connection"`),
      KIBANA.replace('"name": "PsExec Network Connection"', `"name${half}": "x", "name": "PsExec Network Connection"`),
      KIBANA.replace('process.name : \\"PsExec.exe\\"', `process.name : \\"PsExec${half}.exe\\"`),
      KIBANA.replace('"Formatting only"', `"Formatting ${half}only"`),
    ];
    for (const text of cases) {
      assert.is.not(text, KIBANA, half);
      refusedAt("r.json", text, "input/unpaired-surrogate", ...at(text, half));
    }
    // One bad line in an export: that rule alone, at its line.
    const good = JSON.stringify(JSON.parse(KIBANA));
    const badLine = good.replace("PsExec Network Connection", `PsExec ${half}`).replace("55d551c6", "65d551c6");
    const r = readRules([{ path: "e.ndjson", text: `${good}\n${badLine}\n` }]);
    assert.equal(errors(r.diagnostics).map((d) => `${d.line}:${d.col} ${d.code}`), [`2:${badLine.indexOf(half) + 1} input/unpaired-surrogate`]);
    assert.is(r.rules.length, 1);
  }
});

test("JSON: whole pairs, escaped backslashes and the text `\\ud800` are not half pairs", () => {
  for (const fine of ["\\ud83d\\ude00", "\\uD83D\\uDE00", "\\\\ud800", "\\\\\\\\ud800", "😀"]) {
    const text = KIBANA.replace('"name": "PsExec Network Connection"', `"name": "PsExec ${fine}"`);
    const r = readRules([{ path: "r.json", text }]);
    assert.equal(errors(r.diagnostics).map(formatDiagnostic), [], fine);
    assert.is(r.rules[0]!.name, JSON.parse(`"PsExec ${fine}"`), fine);
  }
});

test("rule files and Sigma YAML: a half pair in a double-quoted scalar (value or key, \\u or \\U) is refused at its escape", () => {
  for (const half of [...HALVES, "\\U0000D800", "\\U0000dfff"]) {
    const cases: [string, string][] = [
      ["r.yml", NATIVE.replace("name: Encoded PowerShell From Office Parent", `name: "Encoded ${half} PowerShell"`)],
      ["r.yml", NATIVE.replace("tags: [", `custom: {"k${half}": 1}\ntags: [`)],
      ["r.yml", NATIVE.replace("references: [", `references: ["https://example.org/${half}", `)],
      ["s.yml", SIGMA_RULE.replace("Image|endswith: '\\whoami.exe'", `Image|endswith: "\\\\who${half}ami.exe"`)],
      ["s.yml", SIGMA_RULE.replace("Image|endswith: '\\whoami.exe'", `Image|base64offset|contains: "who${half}ami"`)],
      ["s.yml", SIGMA_RULE.replace("Image|endswith: '\\whoami.exe'", `"Ima${half}ge": x`)],
      ["s.yml", SIGMA_RULE.replace("title: Whoami Execution", `title: "Whoami ${half}"`)],
      ["s.yml", SIGMA_RULE.replace("level: low", `level: low\nfields: ["a${half}"]`)],
    ];
    for (const [path, text] of cases) {
      assert.is.not(text, path === "r.yml" ? NATIVE : SIGMA_RULE, `${half} ${path}`);
      refusedAt(path, text, "input/unpaired-surrogate", ...at(text, half));
    }
  }
});

test("Sigma: a half pair in one document of a file fails that document; a filter with one is refused", () => {
  const other = SIGMA_RULE.replace("8a0f3c1e", "9a0f3c1e").replace("Whoami Execution", "Other").replace("'\\whoami.exe'", '"\\\\x\\udfff.exe"');
  const text = `${SIGMA_RULE}---\n${other}`;
  const r = readRules([{ path: "two.yml", text }]);
  assert.equal(errors(r.diagnostics).map((d) => `${d.line}:${d.col} ${d.code}`), [`${at(text, "\\udfff")[0]}:${at(text, "\\udfff")[1]} input/unpaired-surrogate`]);
  assert.equal(r.rules.map((x) => x.name), ["Whoami Execution"]);
  const filter = `title: F\nid: 1e2f3a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5c\nlogsource: {category: process_creation, product: windows}\nfilter:\n  rules: any\n  sel: {User: "adm\\ud800"}\n  condition: not sel\n`;
  const f = readRules([{ path: "s.yml", text: SIGMA_RULE }, { path: "f.yml", text: filter }]);
  assert.equal(errors(f.diagnostics).map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`), [`f.yml:${at(filter, "\\ud800").join(":")} input/unpaired-surrogate`]);
});

test("YAML: whole pairs, single-quoted and plain `\\ud800` text are not half pairs", () => {
  for (const fine of ['"\\ud83d\\ude00"', '"\\U0001F600"', "'\\ud800'", "a\\ud800b", '"\\\\ud800"']) {
    const r = readRules([{ path: "r.yml", text: NATIVE.replace("name: Encoded PowerShell From Office Parent", `name: ${fine}`) }]);
    assert.equal(errors(r.diagnostics).map(formatDiagnostic), [], fine);
  }
});

test("TOML: a half-pair escape is a syntax error at its line (the TOML reader never decodes one)", () => {
  for (const half of ["\\ud800", "\\uDC00", "\\U0000D800"]) {
    const text = TOML.replace('name = "Test Rule"', `name = "Test ${half} Rule"`);
    const r = readRules([{ path: "r.toml", text }]);
    const es = errors(r.diagnostics);
    assert.is(r.rules.length, 0, half);
    assert.equal(es.map((d) => [d.code, d.line]), [["elastic/toml-syntax", at(text, half)[0]]], half);
  }
  assert.equal(errors(readRules([{ path: "r.toml", text: TOML.replace('name = "Test Rule"', 'name = "Test \\U0001F600"') }]).diagnostics), []);
});

test("KQL and EQL escapes: half a pair is refused at the escape; the pair or the code point reads as one character", () => {
  for (const half of ["\\ud800", "\\uDFFF", "\\udc00\\ud800"]) {
    for (const q of [`process.name:a${half}b`, `process.name:"a${half}b"`]) {
      const r = parseKql(q);
      assert.ok(!r.ok && r.error.code === "kql/unpaired-surrogate" && r.error.offset === q.indexOf(half), `${q}: ${JSON.stringify(r)}`);
    }
  }
  for (const q of ["process.name:a\\ud83d\\ude00b", 'process.name:"a\\ud83d\\ude00b"']) {
    const r = parseKql(q);
    assert.ok(r.ok && JSON.stringify(r.value).includes("a😀b"), q);
  }
  for (const half of ["\\u{d800}", "\\u{DFFF}", "\\u{0000DC00}"]) {
    const q = `process where process.name == "a${half}b"`;
    const r = parseEql(q);
    assert.ok(!r.ok && r.error.code === "eql/unpaired-surrogate" && r.error.offset === q.indexOf(half), `${q}: ${JSON.stringify(r)}`);
  }
  for (const q of ['process where process.name == "a\\u{1F600}b"', 'process where process.name == "a\\u{D83D}\\u{DE00}b"']) {
    const r = parseEql(q);
    assert.ok(r.ok && JSON.stringify(r.value).includes("a😀b"), q);
  }
  // Through a rule file: the query error lands on the escape in the file.
  const kqlRule = NATIVE.replace(/query: >-\n(?: {2}.*\n)+/, "query: 'process.name:x\\ud800'\n");
  refusedAt("r.yml", kqlRule, "kql/unpaired-surrogate", ...at(kqlRule, "\\ud800"));
  const eqlRule = NATIVE_EQL.replace('process.name : "PsExec.exe" and event.type', 'process.name : "Ps\\u{dbff}Exec.exe" and event.type');
  refusedAt("r.yml", eqlRule, "eql/unpaired-surrogate", ...at(eqlRule, "\\u{dbff}"));
});

test("nothing that reads converts to text holding U+FFFD it did not have", () => {
  const texts: [string, string][] = [
    ["r.json", KIBANA.replace('"name": "PsExec Network Connection"', '"name": "PsExec \\ud83d\\ude00"')],
    ["s.yml", SIGMA_RULE.replace("Image|endswith: '\\whoami.exe'", 'Image|endswith: "\\\\who\\U0001F600.exe"')],
    ["r.yml", NATIVE.replace(/query: >-\n(?: {2}.*\n)+/, "query: 'process.name:x\\ud83d\\ude00'\n")],
  ];
  for (const [path, text] of texts) {
    const read = readRules([{ path, text }]);
    assert.equal(errors(read.diagnostics).map(formatDiagnostic), [], path);
    const out = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
    for (const f of out.files) assert.not.ok(f.content.includes("\ufffd"), `${path} → ${f.path}`);
    assert.ok(out.files.some((f) => f.content.includes("😀") || f.content.includes("\\ud83d\\ude00")), path);
  }
});

test("the config, stdin, import and events files: a half pair is refused at its escape", () => {
  const cfg = parseConfig("c.yaml", 'targets: [sigma]\nvars:\n  owner: "team \\udead"\n', BUILTIN_CONFIG);
  assert.ok("error" in cfg && `${cfg.error.line}:${cfg.error.col} ${cfg.error.code}` === "3:16 input/unpaired-surrogate", JSON.stringify(cfg));
  const mapping = parseConfig("c.yaml", 'mappings:\n  sigma-splunk: {"Image\\ud800": process_path}\n', BUILTIN_CONFIG);
  assert.ok("error" in mapping && mapping.error.code === "input/unpaired-surrogate");
  const eventsText = '[{"Image": "C:\\\\who\\udc00ami.exe"}]\n';
  const dir = tempTree({ "in/a.json": KIBANA.replace('"name": "PsExec Network Connection"', '"name": "PsExec \\ud800"'), "rules/s.yml": SIGMA_RULE, "events.json": eventsText });
  const imported = rulecast(["import", "in", "--out", "imported"], dir);
  assert.is(imported.code, 1, imported.stderr);
  assert.match(imported.stderr, /^in\/a\.json:\d+:\d+: error input\/unpaired-surrogate/m);
  const input = SIGMA_RULE.replace("'\\whoami.exe'", '"\\\\who\\ud800.exe"');
  const stdin = rulecast(["convert", "-", "--to", "splunk"], dir, { input });
  assert.is(stdin.code, 1, stdin.stderr);
  assert.match(stdin.stderr, new RegExp(`^<stdin>:${at(input, "\\ud800").join(":")}: error input/unpaired-surrogate`, "m"));
  assert.not.match(stdin.stdout, /\ufffd/);
  const configText = 'splunk: {index: "main\\ud800"}\n';
  writeFileSync(join(dir, "rulecast.config.yaml"), configText);
  const config = rulecast(["convert", "rules", "--to", "splunk"], dir);
  assert.is(config.code, 2);
  assert.match(config.stderr, new RegExp(`^rulecast: rulecast\\.config\\.yaml:${at(configText, "\\ud800").join(":")}: error input/unpaired-surrogate`, "m"));
  writeFileSync(join(dir, "rulecast.config.yaml"), "targets: [sigma]\n");
  const events = rulecast(["test", "rules", "--events", "events.json", "--expect", "match"], dir);
  assert.is(events.code, 2);
  assert.match(events.stderr, new RegExp(`^rulecast: events\\.json:${at(eventsText, "\\udc00").join(":")}: error input/unpaired-surrogate`, "m"));
});

test.run();
