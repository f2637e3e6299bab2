/**
 * Resource bounds: inputs built to exhaust the stack, memory or time get a positioned error or
 * convert, in bounded time. Time limits are generous: they catch hangs, not slowness.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpuMs } from "../helpers/cpu-time.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInputText } from "../../src/pipeline/input-files.js";
import { readConf } from "../../src/render/conf-reader.js";
import { namesOtherRules } from "../../src/cli/load-inputs.js";
import { readEsql } from "../../src/query/esql/esql-read.js";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parseEql } from "../../src/query/eql/eql-parser.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { parseCondition } from "../../src/query/sigma-condition/index.js";
import { MAX_QUERY_NESTING } from "../../src/query/nesting.js";
import { readElasticJson, readElasticToml, readKibanaNdjson } from "../../src/sources/elastic/index.js";
import { readNativeRuleFile } from "../../src/sources/native/read-native-rule.js";
import { readSigmaFile } from "../../src/sources/sigma/index.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { testContext } from "../helpers/convert-fixture.js";

const NATIVE = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");
const SIGMA = readFileSync("out/sigma/unusual_process_network_connection.yml", "utf8");
const KIBANA = readFileSync("out/elastic/psexec_network_connection.json", "utf8");

/** A hang guard in CPU time (see helpers/cpu-time.ts), not a speed measure: benchmarks measure speed. */
function timed<T>(f: () => T, limitMs: number, what: string): T {
  let r: T | undefined;
  const ms = cpuMs(() => {
    r = f();
  });
  assert.ok(ms < limitMs, `${what} took ${Math.round(ms)} ms of CPU (limit ${limitMs})`);
  return r as T;
}

function errors(ds: readonly Diagnostic[]): string[] {
  return ds.filter((d) => d.severity === "error").map(formatDiagnostic);
}

/** One error, with that code, at that line and column. */
function onlyError(ds: readonly Diagnostic[], code: string, line: number, col?: number): void {
  const es = ds.filter((d) => d.severity === "error");
  assert.is(es.length, 1, errors(ds).join("\n"));
  assert.is(es[0]?.code, code);
  assert.is(es[0]?.line, line);
  if (col !== undefined) assert.is(es[0]?.col, col);
}

// ---- deep nesting in queries -------------------------------------------------------------------

const DEPTHS = [MAX_QUERY_NESTING + 1, 5_000, 100_000];

for (const n of DEPTHS) {
  test(`KQL: ${n} nested groups → kql/nesting-too-deep at the first group over the limit`, () => {
    for (const [text, at] of [
      ["(".repeat(n) + "a" + ")".repeat(n), MAX_QUERY_NESTING],
      ["f:" + "(".repeat(n) + "a" + ")".repeat(n), 2 + MAX_QUERY_NESTING],
      ["a:{".repeat(n) + "b:c" + "}".repeat(n), 3 * MAX_QUERY_NESTING + 2],
    ] as const) {
      const r = timed(() => parseKql(text), 2000, "parse");
      assert.ok(!r.ok);
      if (!r.ok) {
        assert.is(r.error.code, "kql/nesting-too-deep");
        assert.is(r.error.offset, at);
      }
    }
  });

  test(`EQL: ${n} nested groups, nots, signs, calls → eql/nesting-too-deep`, () => {
    const texts = [
      "any where " + "(".repeat(n) + "a" + ")".repeat(n),
      "any where " + "not ".repeat(n) + "a",
      "any where a == " + "-".repeat(n) + "1",
      "any where " + "length(".repeat(n) + "a" + ")".repeat(n) + " == 1",
      "any where a == " + Array.from({ length: n + 1 }, () => "1").join(" + "),
    ];
    for (const text of texts) {
      const r = timed(() => parseEql(text), 2000, "parse");
      assert.ok(!r.ok, text.slice(0, 40));
      if (!r.ok) assert.is(r.error.code, "eql/nesting-too-deep", text.slice(0, 40));
    }
  });

  test(`Sigma condition: ${n} nested groups and nots → sigma/condition-nesting-too-deep`, () => {
    for (const text of ["(".repeat(n) + "a" + ")".repeat(n), "not ".repeat(n) + "a"]) {
      const r = timed(() => parseCondition(text), 2000, "parse");
      assert.ok(!r.ok);
      if (!r.ok) assert.is(r.error.code, "sigma/condition-nesting-too-deep");
    }
  });
}

test("nesting at the limit still parses", () => {
  const n = MAX_QUERY_NESTING;
  assert.ok(parseKql("(".repeat(n) + "a" + ")".repeat(n)).ok);
  assert.ok(parseEql("any where " + "(".repeat(n) + "a" + ")".repeat(n)).ok);
  assert.ok(parseCondition("(".repeat(n) + "a" + ")".repeat(n)).ok);
});

// ---- long flat queries -------------------------------------------------------------------------

test("a query of 100,000 OR terms parses flat (KQL, EQL, Sigma condition) and converts to SPL and Elastic", () => {
  const n = 100_000;
  const kql = timed(() => parseKql(Array.from({ length: n }, (_, i) => `f:v${i}`).join(" or ")), 5000, "KQL");
  assert.ok(kql.ok && kql.value.kind === "or" && kql.value.children.length === n);
  const eql = timed(() => parseEql("any where " + Array.from({ length: n }, (_, i) => `f == "v${i}"`).join(" or ")), 5000, "EQL");
  assert.ok(eql.ok && eql.value.kind === "or" && eql.value.children.length === n);
  const cond = timed(() => parseCondition(Array.from({ length: n }, (_, i) => `s${i}`).join(" or ")), 5000, "condition");
  assert.ok(cond.ok && cond.value.kind === "or" && cond.value.children.length === n);

  const query = Array.from({ length: n }, (_, i) => `process.name:v${i}.exe`).join(" or ");
  const rule = NATIVE.replace(/query: >-\n(?: {2}.*\n)+/, `query: '${query}'\n`);
  const read = readRules([{ path: "big-or.yml", text: rule }]);
  assert.equal(errors(read.diagnostics), []);
  const out = timed(() => convertRules(read.rules, ["splunk", "elastic"], testContext()), 20_000, "convert");
  assert.equal(errors(out.diagnostics), []);
  assert.ok(out.files.some((f) => f.target === "splunk" && f.content.includes("v99999.exe")));
  assert.ok(out.files.some((f) => f.target === "elastic" && f.content.includes("v99999.exe")));
});

// The Sigma target merges OR values quadratically (src/targets/sigma/sigma-detection.ts mergeOr):
// 100,000 terms take minutes there, so its bound is tested at 10,000 until that is fixed.
test("10,000 OR terms convert to Sigma in bounded time", () => {
  const query = Array.from({ length: 10_000 }, (_, i) => `process.name:v${i}.exe`).join(" or ");
  const read = readRules([{ path: "big-or.yml", text: NATIVE.replace(/query: >-\n(?: {2}.*\n)+/, `query: '${query}'\n`) }]);
  const out = timed(() => convertRules(read.rules, ["sigma"], testContext()), 20_000, "convert");
  assert.equal(errors(out.diagnostics), []);
  assert.ok(out.files.some((f) => f.content.includes("v9999.exe")));
});

// ---- deep data in rule files -------------------------------------------------------------------

test("deeply nested maps and lists in YAML, JSON and TOML → */nesting-too-deep with a position", () => {
  for (const n of [150, 100_000]) {
    const list = "[".repeat(n) + "]".repeat(n);
    const map = "{a: ".repeat(n) + "1" + "}".repeat(n);
    onlyError(timed(() => readNativeRuleFile("r.yml", `${NATIVE}custom:\n  x: ${list}\n`), 5000, "yaml").diagnostics, "rule/nesting-too-deep", NATIVE.split("\n").length + 1);
    onlyError(readNativeRuleFile("r.yml", `${NATIVE}custom: ${map}\n`).diagnostics, "rule/nesting-too-deep", NATIVE.split("\n").length);
    const sigma = readSigmaFile("s.yml", `${SIGMA}custom: ${list}\n`).diagnostics;
    assert.ok(sigma.some((d) => d.code === "sigma/nesting-too-deep" && d.line === SIGMA.split("\n").length), errors(sigma).join("\n"));
    const json = KIBANA.replace(/^\{/, `{"extra": ${list},`);
    onlyError(readElasticJson("r.json", json).diagnostics, "elastic/nesting-too-deep", 1, 110);
    onlyError(readKibanaNdjson("r.ndjson", `${JSON.stringify(JSON.parse(KIBANA))}\n{"rule_id":"x","a":${list}}\n`).diagnostics, "elastic/nesting-too-deep", 2);
    onlyError(readElasticToml("r.toml", `[rule]\nx = ${list}\n`).diagnostics, "elastic/nesting-too-deep", 2);
  }
});

test("data nested 100 deep still reads", () => {
  const list = "[".repeat(98) + "]".repeat(98); // under the document's map and `custom`
  assert.equal(errors(readNativeRuleFile("r.yml", `${NATIVE}custom:\n  x: ${list}\n`).diagnostics), []);
  assert.equal(errors(readElasticJson("r.json", KIBANA.replace(/^\{/, `{"extra": ${list},`)).diagnostics), []);
});

// ---- alias bombs -------------------------------------------------------------------------------

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
const BOMB = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)].join("\n");

test("YAML alias bomb: rule file → rule/too-many-aliases at the first alias, quickly", () => {
  const text = `${NATIVE}custom:\n  ${BOMB.replace(/\n/g, "\n  ")}\n`;
  const r = timed(() => readNativeRuleFile("bomb.yml", text), 2000, "read");
  onlyError(r.diagnostics, "rule/too-many-aliases", NATIVE.split("\n").length + 2);
});

test("YAML alias bomb: Sigma file → an error, nothing expanded", () => {
  const text = `${SIGMA}${BOMB}\n`;
  const r = timed(() => readSigmaFile("bomb.yml", text.replace("- '\\bginfo.exe'", "- *i")), 2000, "read");
  assert.is(r.rules.length, 0);
  assert.ok(errors(r.diagnostics).length > 0);
  // In metadata the alias is kept as YAML data without being expanded into 9^9 strings either.
  const meta = timed(() => readSigmaFile("bomb.yml", `${SIGMA}bomb: *i\n${BOMB.replace(/^/gm, "x")}\n`), 2000, "read");
  assert.ok(JSON.stringify(meta).length < 100_000);
});

// ---- size --------------------------------------------------------------------------------------

test("a 50 MB rule file converts in bounded time and memory", () => {
  const mb = 50 * 1024 * 1024;
  const line = `  ${"x".repeat(98)}\n`;
  const text = NATIVE.replace(/description: .*\n/, `description: >-\n${line.repeat(Math.ceil(mb / line.length))}`);
  const before = process.memoryUsage().rss;
  const read = timed(() => readRules([{ path: "big.yml", text }]), 20_000, "read");
  assert.equal(errors(read.diagnostics), []);
  const out = timed(() => convertRules(read.rules, ["sigma"], testContext()), 20_000, "convert");
  assert.equal(errors(out.diagnostics), []);
  assert.ok(process.memoryUsage().rss - before < 2_000_000_000, "more than 2 GB for a 50 MB file");
});

test("a 10 MB Kibana export (thousands of rules) reads in bounded time", () => {
  const line = `${JSON.stringify(JSON.parse(KIBANA))}\n`;
  const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
  const r = timed(() => readKibanaNdjson("big.ndjson", text), 20_000, "read");
  assert.equal(errors(r.diagnostics), []);
  assert.is(r.rules.length, text.split("\n").length - 1);
});

// ---- runs of blanks ----------------------------------------------------------------------------

// A regex such as /\s+$/ retries at every blank of a run that does not end the text: 200,000
// blanks took about a minute each in the .conf escaping, the Sigma reader and the TOML reader.
const BLANKS = " ".repeat(200_000);

test("long runs of blanks inside a description, a title and a detection convert in bounded time", () => {
  const native = NATIVE.replace(/description: .*\n/, `description: 'a${BLANKS}b'\n`);
  const read = readRules([{ path: "blanks.yml", text: native }]);
  assert.equal(errors(read.diagnostics), []);
  const out = timed(() => convertRules(read.rules, ["splunk", "sigma", "elastic"], testContext()), 10_000, "convert");
  assert.ok(out.files.some((f) => f.content.includes(`a${BLANKS}b`)), "the description is written whole");
  const sigma = SIGMA.replace("- '\\bginfo.exe'", `- '\\bg${BLANKS}info.exe'`).replace(/^title: .*$/m, `title: T${BLANKS}T`);
  const r = timed(() => readSigmaFile("blanks.yml", sigma), 5000, "read Sigma");
  assert.equal(errors(r.diagnostics), []);
  timed(() => convertRules(r.rules, ["splunk", "sigma", "elastic"], testContext()), 10_000, "convert Sigma");
});

test("a Sigma file with 200,000 blank lines: the check for filters and correlations is linear", () => {
  const text = `title: t\n${"\n".repeat(200_000)}level: low\n`;
  assert.is(timed(() => namesOtherRules(text), 5000, "sniff"), false);
  assert.is(namesOtherRules(`title: t\n${"\n".repeat(200_000)}  {a: 1}\n`), true);
});

test("values and patterns built to backtrack: IPv6-shaped values, GROK/DISSECT patterns, blanks before a line break in an author", () => {
  const sigma = (field: string, v: string, author = "x") =>
    `title: t\nid: 0e3a2a3c-3b2c-4a5e-9c5d-2f9a6f1c9b11\nauthor: "${author}"\nlogsource:\n  category: network_connection\n  product: windows\ndetection:\n  sel:\n    ${field}: '${v}'\n  condition: sel\nlevel: low\n`;
  const ip = readSigmaFile("ip.yml", sigma("DestinationIp", `${":".repeat(200_000)}x`));
  timed(() => convertRules(ip.rules, ["splunk", "sigma", "elastic"], testContext()), 10_000, "IPv6-shaped value");
  const author = readSigmaFile("a.yml", sigma("Image", "x", `x${BLANKS}y\\nz`));
  const out = timed(() => convertRules(author.rules, ["splunk", "sigma", "elastic"], testContext()), 10_000, "author");
  assert.equal(errors(out.diagnostics), []);
  for (const q of [`GROK msg "${"%{".repeat(100_000)}"`, `GROK msg "${"(?<?".repeat(50_000)}"`, `DISSECT msg "${"%{".repeat(100_000)}"`]) {
    timed(() => readEsql(`FROM x | ${q} | KEEP a`), 5000, q.slice(0, 12));
  }
});

test("`1 of` a pattern of many stars against long selection names is linear (it was a regex: a minute at 12 stars)", () => {
  const name = "a".repeat(1000); // YAML keys stop at 1,024 characters
  const sigma = (pattern: string) =>
    `title: t\nid: 0e3a2a3c-3b2c-4a5e-9c5d-2f9a6f1c9b11\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  ${name}:\n    Image: x\n  sel:\n    Image: y\n  condition: sel and not 1 of ${pattern}\nlevel: low\n`;
  const none = timed(() => readSigmaFile("stars.yml", sigma(`${"a*".repeat(2000)}x`)), 5000, "read");
  assert.equal(none.diagnostics.map((d) => d.code), ["sigma/unknown-selection"]);
  const hit = timed(() => readSigmaFile("stars.yml", sigma(`${"a*".repeat(999)}a`)), 5000, "read");
  assert.equal(errors(hit.diagnostics), []);
  timed(() => convertRules(hit.rules, ["splunk", "sigma", "elastic"], testContext()), 10_000, "convert");
});

test("a KQL value holding a long run of blanks parses in linear time (each blank rescanned the run for a keyword)", () => {
  const r = timed(() => parseKql(`process.name:a${BLANKS}b or user.name:c`), 5000, "parse");
  assert.ok(r.ok);
  const k = timed(() => parseKql(`process.name:a${BLANKS}or user.name:c`), 5000, "parse");
  assert.ok(k.ok && k.value.kind === "or", "a keyword after the run still ends the value");
});

test("100,000 `{` after a quoted value in a Sigma or rule file: 10 YAML errors and a count of the rest, in linear time", () => {
  const run = "{".repeat(100_000);
  const sigma = timed(() => readSigmaFile("s.yml", `${SIGMA}custom: 'a'${run}\n`), 5000, "Sigma").diagnostics;
  const native = timed(() => readNativeRuleFile("r.yml", `${NATIVE}custom: 'a'${run}\n`), 5000, "rule file").diagnostics;
  for (const [ds, code] of [[sigma, "sigma/yaml-syntax"], [native, "rule/yaml-syntax"]] as const) {
    assert.is(ds.length, 11, errors(ds).slice(0, 3).join("\n"));
    assert.ok(ds.every((d) => d.code === code && d.line !== undefined));
    assert.match(ds[10]!.message, /^[\d,]+ more YAML errors in this document, not shown$/);
  }
});

test("ES|QL list constants opened 100,000 times: a positioned error at the inner `[` (it overflowed the stack)", () => {
  for (const q of [`FROM x | WHERE a == ${"[".repeat(100_000)}`, 'FROM x | WHERE a == [[1], 2]']) {
    const r = timed(() => readEsql(q), 5000, "read");
    assert.ok(!r.ok && r.error.code === "esql/unexpected-token" && r.error.offset === 21, JSON.stringify(r.ok ? r.value.kind : r.error));
  }
});

test("a .conf line holding a long run of CRs reads in bounded time (the app read-back's reader)", () => {
  const r = timed(() => readConf(`[a]\nk = v${"\r".repeat(200_000)}x\r\n`), 5000, "read .conf");
  assert.is(r.stanzas[0]?.keys.get("k")?.startsWith("v"), true);
});

test("a long run of blank lines before the [rule] table of a TOML rule reads in bounded time", () => {
  const toml = `[metadata]\ncreation_date = "2020/01/01"\n${"\n".repeat(200_000)}[rule]\nname = "x"\n`;
  const r = timed(() => readElasticToml("blanks.toml", toml), 5000, "read TOML");
  assert.ok(r.diagnostics.every((d) => d.line !== undefined), "diagnostics keep their positions");
});

// ---- numbers -----------------------------------------------------------------------------------

test("huge integers: an error where the schema bounds them, kept exact as text in queries", () => {
  const big = "123456789012345678901234567890";
  const risk = readNativeRuleFile("r.yml", NATIVE.replace(/risk_score: 73/, `risk_score: ${big}`));
  onlyError(risk.diagnostics, "rule/invalid-value", 10);
  for (const v of ["1e400", ".inf", "99999999999999999999"]) {
    onlyError(readNativeRuleFile("r.yml", `${NATIVE}version: ${v}\n`).diagnostics, "rule/invalid-value", NATIVE.split("\n").length);
  }
  const kql = parseKql(`event.code:${big}`);
  assert.ok(kql.ok && JSON.stringify(kql.value).includes(big));
  const eql = parseEql(`any where event.code == ${big}`);
  assert.ok(eql.ok && JSON.stringify(eql.value).includes(`"raw":"${big}"`));
  for (const text of [`[rule]\nrisk_score = ${big}\n`, `[rule]\nrisk_score = 1e99999\n`]) {
    const toml = readElasticToml("r.toml", text);
    assert.ok(errors(toml.diagnostics).length > 0 && toml.diagnostics.every((d) => d.line !== undefined));
  }
  const json = readElasticJson("r.json", KIBANA.replace(/"risk_score": \d+/, `"risk_score": 1e999`));
  assert.is(json.rules.length, 0);
  assert.ok(errors(json.diagnostics).some((d) => d.includes("risk_score")), errors(json.diagnostics).join("\n"));
});

// ---- encodings ---------------------------------------------------------------------------------

test("BOM and CRLF: every reader converts them as it converts the plain LF file", () => {
  const cases: [string, string][] = [
    ["r.yml", NATIVE],
    ["s.yml", SIGMA],
    ["r.json", KIBANA],
    ["r.ndjson", `${JSON.stringify(JSON.parse(KIBANA))}\n`],
    ["r.toml", readFileSync("../shared/corpus/elastic/rules/windows/execution_psexec_lateral_movement_command.toml", "utf8")],
  ];
  for (const [path, lf] of cases) {
    const plain = readRules([{ path, text: lf }]);
    assert.equal(errors(plain.diagnostics), [], path);
    for (const variant of [`\ufeff${lf}`, lf.replace(/\n/g, "\r\n"), `\ufeff${lf.replace(/\n/g, "\r\n")}`]) {
      const r = readRules([{ path, text: variant }]);
      assert.equal(errors(r.diagnostics), [], `${path} ${JSON.stringify(variant.slice(0, 4))}`);
      assert.is(r.rules.length, plain.rules.length, path);
      // Same rule apart from where it came from and the line ends kept inside block scalars.
      const strip = (x: unknown) => JSON.stringify(x, (k, v) => (k === "source" || k === "span" || k === "queryText" ? undefined : typeof v === "string" ? v.replace(/\r\n/g, "\n") : v));
      assert.is(strip(r.rules), strip(plain.rules), path);
    }
  }
});

test("text decoded from invalid UTF-8 (U+FFFD) never throws in a reader", () => {
  const bad = Buffer.concat([Buffer.from(NATIVE.slice(0, 200)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(NATIVE.slice(200))]).toString("utf8");
  assert.ok(bad.includes("\ufffd"));
  for (const [path, text] of [["r.yml", bad], ["s.yml", bad.replace("rule_id", "title")], ["r.json", `{"rule_id":"\ud800${bad.slice(0, 5)}"}`], ["r.toml", `[rule]\nname = "${bad.slice(0, 40)}\ufffd"`]] as const) {
    const r = readRules([{ path, text }]);
    assert.ok(Array.isArray(r.rules), path);
  }
});

test("invalid UTF-8 in a file → input/invalid-utf8 at the first bad byte; UTF-16 gets its own hint", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-utf8-"));
  const bad = join(dir, "bad.yml");
  writeFileSync(bad, Buffer.concat([Buffer.from("rule_id: x\nname: ab"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]));
  const r = readInputText({ path: "bad.yml", absolute: bad });
  assert.ok(!r.ok);
  if (!r.ok) assert.is(formatDiagnostic(r.diagnostic), "bad.yml:2:9: error input/invalid-utf8: not UTF-8: byte 0xC3 at byte offset 19 cannot start or continue a character (hint: save the file as UTF-8)");
  const utf16 = join(dir, "utf16.yml");
  writeFileSync(utf16, Buffer.from("\ufeffrule_id: x\n", "utf16le"));
  const u = readInputText({ path: "utf16.yml", absolute: utf16 });
  assert.ok(!u.ok && u.diagnostic.hint === "the file is UTF-16: save it as UTF-8");
  const good = join(dir, "good.yml");
  writeFileSync(good, "\ufeffname: é \ufffd\r\n");
  assert.equal(readInputText({ path: "good.yml", absolute: good }), { ok: true, text: "\ufeffname: é \ufffd\r\n" });
});

test.run();
