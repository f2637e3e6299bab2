/**
 * Injection and paths: keys that name prototypes stay data, values that could break out of a
 * target's syntax come back unchanged when the output is parsed, templates cannot reach
 * prototypes, and output names cannot leave `--out`; symlinks are not followed out of the tree.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { slugify } from "../../src/ir/ids.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { collectInputFiles } from "../../src/pipeline/input-files.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { safeOutputPath } from "../../src/pipeline/write-output.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { loadTemplates } from "../../src/render/templates.js";
import { parseConf } from "../helpers/conf-parser.js";
import { testContext } from "../helpers/convert-fixture.js";

const NATIVE = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");
const KIBANA = readFileSync("out/elastic/psexec_network_connection.json", "utf8");
const SIGMA = readFileSync("out/sigma/unusual_process_network_connection.yml", "utf8");

test("__proto__ and constructor keys in YAML, JSON and TOML stay data and pollute nothing", () => {
  const json = KIBANA.replace(/^\{/, '{"__proto__": {"polluted": "yes", "query": "evil"}, "constructor": {"prototype": {"polluted": "yes"}},');
  const toml = `[rule]\nrule_id = "x"\nname = "n"\ndescription = "d"\ntype = "query"\nlanguage = "kuery"\nquery = "a:b"\nseverity = "low"\nrisk_score = 1\n__proto__ = {polluted = "yes"}\n[__proto__]\npolluted = "t"\n`;
  const cases: [string, string][] = [
    ["r.json", json],
    ["r.ndjson", `${json.replace(/\n\s*/g, "")}\n`],
    ["r.toml", toml],
    ["r.yml", `${NATIVE}custom:\n  __proto__: {polluted: yes}\n  constructor: {prototype: {polluted: yes}}\n`],
    ["s.yml", `${SIGMA}__proto__:\n    polluted: yes\n`],
  ];
  for (const [path, text] of cases) {
    const r = readRules([{ path, text }]);
    assert.equal(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic), [], path);
    const rule = r.rules[0]!;
    assert.is(Object.getPrototypeOf(rule.custom), Object.prototype, path);
    assert.is((rule.custom as { polluted?: unknown }).polluted, undefined, path);
    assert.ok(Object.hasOwn(rule.custom, "__proto__") || Object.hasOwn(rule.custom["custom"] as object ?? {}, "__proto__") || path === "r.yml", path);
    if (path.endsWith(".json")) assert.is.not(rule.queryText, "evil");
  }
  assert.is(({} as { polluted?: unknown }).polluted, undefined);
});

/** Everything that can end a string, a line, a field or a command in some target. */
const NASTY = `a 'b' "c" \\d\\ |e| ]f[ \`g\` $h #i {j} <k> %l%`;

test("metadata and query values that could break out of YAML, JSON and conf syntax come back unchanged", () => {
  const value = `${NASTY} end`;
  const text = NATIVE.replace(/^name: .*$/m, `name: ${JSON.stringify(value)}`)
    .replace(/^description: .*$/m, `description: ${JSON.stringify(`${value}\nsecond line`)}`)
    .replace(/query: >-\n(?: {2}.*\n)+/, `query: ${JSON.stringify(`process.name:${JSON.stringify(value)}`)}\n`);
  const read = readRules([{ path: "nasty.yml", text }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic), []);
  const out = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext({ elasticLanguage: "kuery" }));
  assert.equal(out.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic), []);
  const file = (target: string, ext: string) => out.files.find((f) => f.target === target && f.path.endsWith(ext))!.content;

  const sigma = parseYaml(file("sigma", ".yml")) as { title: string; description: string; detection: Record<string, unknown> };
  assert.is(sigma.title, value);
  assert.is(sigma.description, `${value}\nsecond line`);
  assert.ok(JSON.stringify(sigma.detection).includes(JSON.stringify(value).slice(1, -1)));

  const elastic = JSON.parse(file("elastic", ".json")) as { name: string; description: string; query: string };
  assert.is(elastic.name, value);
  assert.is(elastic.description, `${value}\nsecond line`);
  const back = parseKql(elastic.query);
  assert.ok(back.ok && JSON.stringify(back.value).includes(JSON.stringify(value).slice(1, -1)), elastic.query);

  const conf = parseConf(file("splunk", "savedsearches.conf"));
  const stanza = [...conf.values()].find((s) => s.has("search"))!;
  assert.is(stanza.get("description"), `${value}\nsecond line`);
  assert.ok(stanza.get("search")!.includes("\\\\d\\\\"), "backslashes doubled in the SPL string");
});

test("user templates cannot reach prototypes or other files", () => {
  const dir = mkdtempSync(join(tmpdir(), "rulecast-tpl-"));
  mkdirSync(join(dir, "sigma"));
  const probes = ["{{constructor}}", "{{lookup this \"__proto__\"}}", "{{lookup (lookup this \"constructor\") \"name\"}}", "{{title.constructor.name}}", "{{> ../../../../etc/passwd}}", "{{#with title}}{{constructor.name}}{{/with}}"];
  const warn = console.error;
  console.error = () => undefined; // Handlebars logs each denied prototype access
  try {
    for (const body of probes) {
      writeFileSync(join(dir, "sigma", "rule.yaml.hbs"), body);
      let out = "";
      try {
        out = loadTemplates(dir).render("sigma/rule.yaml.hbs", { title: "x" });
      } catch (e) {
        out = String(e); // a template error is the author's to fix; it must not leak anything
      }
      assert.not.match(out, /function|Object|String|root:/, body);
    }
  } finally {
    console.error = warn;
  }
});

test("output names from titles and ids cannot leave --out", () => {
  const out = resolve("/tmp/rulecast-out");
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "C:\\x", "c:x", "a\0b", "..", ".", "", "a/.."]) {
    assert.is(safeOutputPath(out, bad), undefined, JSON.stringify(bad));
  }
  assert.is(safeOutputPath(out, "sigma/a.yml"), join(out, "sigma/a.yml"));
  for (const title of ["../../etc/passwd", "/abs/path", "a\0b", "CON", "nul", "com1", "LPT9", "..", "\u202e exe.yml", "ＣＯＮ"]) {
    const slug = slugify(title);
    assert.match(slug, /^[a-z0-9_]+$/, title);
    assert.not.match(slug, /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/, `${title} → ${slug} is a reserved Windows name`);
  }
});

test("two rules whose names differ only in case get distinct file names on case-insensitive disks", () => {
  const a = NATIVE;
  const b = NATIVE.replace(/^rule_id: .*$/m, "rule_id: 00000000-0000-4000-8000-000000000001").replace(/^name: (.*)$/m, (_m, n: string) => `name: ${n.toUpperCase()}`);
  const read = readRules([{ path: "a.yml", text: a }, { path: "b.yml", text: b }]);
  const out = convertRules(read.rules, ["sigma", "splunk", "elastic"], testContext());
  const names = out.files.map((f) => `${f.target}/${f.path}`.toLowerCase());
  assert.is(new Set(names).size, names.length, names.join("\n"));
});

test("symlinks inside input folders are not followed out of the tree; named ones are read", () => {
  const root = mkdtempSync(join(tmpdir(), "rulecast-links-"));
  mkdirSync(join(root, "outside"));
  mkdirSync(join(root, "rules"));
  writeFileSync(join(root, "outside", "secret.yml"), NATIVE);
  writeFileSync(join(root, "rules", "own.yml"), NATIVE);
  symlinkSync(join(root, "outside"), join(root, "rules", "linked-dir"));
  symlinkSync(join(root, "outside", "secret.yml"), join(root, "rules", "linked.yml"));
  symlinkSync("/", join(root, "rules", "root"));
  const scan = collectInputFiles(["rules"], root);
  assert.equal(scan.files.map((f) => f.path), ["rules/own.yml"]);
  const asked = collectInputFiles(["rules/linked.yml"], root);
  assert.equal(asked.files.map((f) => f.path), ["rules/linked.yml"]);
});

test.run();
