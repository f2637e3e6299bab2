/**
 * Output that must parse: rulecast never writes a file its own reader (YAML, JSON, ndjson, conf)
 * would refuse. An empty Sigma condition is refused when read; a rule's own keys never repeat a key
 * the Sigma template writes; every Sigma file, rule JSON and bundle is parsed back before it is
 * kept, so a user's template that writes broken output fails the rule (a bundle: the run, exit 2),
 * naming the template. Templates are strict: a field a template names but the view lacks is an
 * error with the template and line, and a template that does not compile stops the run in one line.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { readConf } from "../../src/render/conf-reader.js";
import { loadTemplates, TemplateError } from "../../src/render/templates.js";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";
import { testContext } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";

const NATIVE = readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8");

test("an empty condition list is refused where it is written, in every spelling", () => {
  for (const [condition, line, col] of [
    ["  condition: []", 11, 14],
    ["  condition: [ ]", 11, 14],
    ["  condition:\n    []", 12, 5],
    ["  condition: !!seq []", 11, 20],
  ] as const) {
    const text = SIGMA_RULE.replace("  condition: selection", condition);
    const read = readRules([{ path: "r.yml", text }]);
    assert.is(read.rules.length, 0, condition);
    assert.equal(read.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line, d.col]), [["sigma/empty-condition", line, col]], condition);
  }
  // A list of conditions is an OR of them; one empty string in it is a positioned syntax error.
  const two = readRules([{ path: "r.yml", text: SIGMA_RULE.replace("  condition: selection", "  condition: [selection, '']") }]);
  assert.is(two.rules.length, 0);
  assert.ok(two.diagnostics.some((d) => d.severity === "error" && d.line === 11), two.diagnostics.map(formatDiagnostic).join("\n"));
});

/** Sigma rule edits that the reader keeps in `custom` under a key the Sigma template also writes. */
const COLLIDING: Readonly<Record<string, (t: string) => string>> = {
  "unknown status": (t) => t.replace("status: test", "status: testing"),
  "unknown level": (t) => t.replace("level: low", "level: severe"),
  "status and level": (t) => t.replace("status: test", "status: 5").replace("level: low", "level: [x]"),
  "extra logsource keys": (t) => t.replace("  product: windows", "  product: windows\n  definition_x: sysmon\n  version: 2"),
  "logsource key of another type": (t) => t.replace("  product: windows", "  product: [windows, linux]"),
  "all of them": (t) => t.replace("status: test", "status: beta").replace("level: low", "level: hi").replace("  product: windows", "  product: windows\n  x: y"),
};

test(`Sigma output never repeats a key (${Object.keys(COLLIDING).length} inputs whose own keys collide with the template's), and reads back as the same rule`, () => {
  for (const [name, edit] of Object.entries(COLLIDING)) {
    const read = readRules([{ path: "r.yml", text: edit(SIGMA_RULE) }]);
    assert.is(read.rules.length, 1, name);
    const out = convertRules(read.rules, ["sigma"], testContext());
    assert.equal(out.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic), [], name);
    assert.is(readBackProblem(out.files), undefined, name);
    const again = readRules([{ path: "again.yml", text: out.files[0]!.content }]);
    assert.equal(again.diagnostics.filter((d) => d.severity === "error"), [], name);
    assert.equal(withoutSpans(again.rules[0]!.query), withoutSpans(read.rules[0]!.query), name);
  }
  // Own keys the template does not write stay (in the lossless profile, which writes custom attributes), whatever they are called.
  const own = readRules([{ path: "r.yml", text: `${SIGMA_RULE}searches: a\ncondition: b\ncustom: c\nname: d\n` }]);
  const kept = convertRules(own.rules, ["sigma"], testContext({ sigmaProfile: "lossless" }));
  assert.is(readBackProblem(kept.files), undefined);
  assert.match(kept.files[0]!.content, /\nsearches: a\ncondition: b\ncustom: c\n/);
  assert.match(kept.files[0]!.content, /^name: d$/m);
  // A Sigma correlation with an unknown level: the correlation template writes `level` too.
  const corr = `${SIGMA_RULE.replace("title: Whoami Execution", "title: Whoami Execution\nname: whoami")}---\ntitle: Many whoami\nid: 9a0f3c1e-5b2d-4c3a-9e7f-1d2c3b4a5f60\nstatus: nope\nlevel: huge\ncorrelation:\n  type: event_count\n  rules: [whoami]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 3}\n`;
  const read = readRules([{ path: "c.yml", text: corr }]);
  const out = convertRules(read.rules, ["sigma"], testContext());
  assert.is(readBackProblem(out.files), undefined);
});

function withoutSpans(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "span" ? undefined : x)));
}

function withTemplate(name: string, body: string): string {
  const dir = tempTree({ [`tpl/${name}`]: body });
  return join(dir, "tpl");
}

test("a user's Sigma template that writes invalid or repeated YAML fails the rule; no file is written", () => {
  const builtin = readFileSync("templates/sigma/rule.yaml.hbs", "utf8");
  for (const body of [`${builtin}title: again\n`, `${builtin}detection: [`, builtin.replace("{{yaml key}}: {{yaml value}}", "{{yaml key}}: {{value}}"), `${builtin}---\ntitle: x\n`]) {
    const ctx = { ...testContext(), templates: loadTemplates(withTemplate("sigma/rule.yaml.hbs", body)) };
    const read = readRules([{ path: "r.yml", text: SIGMA_RULE.replace("title: Whoami Execution", "title: 'Whoami: Execution'") }]);
    const out = convertRules(read.rules, ["sigma"], ctx);
    assert.equal(out.files, []);
    assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["sigma/invalid-output"], body.slice(-40));
  }
});

test("a user's Elastic templates: invalid rule JSON fails the rule; an ndjson bundle that does not read back stops the run", () => {
  const rules = readRules([{ path: "r.yaml", text: NATIVE }]).rules;
  const json = readFileSync("templates/elastic/rule.json.hbs", "utf8");
  for (const body of [json.replace('"name": {{json name}},', '"name": {{name}},'), `${json}\n{}`, json.replace("{", "[")]) {
    const ctx = { ...testContext(), templates: loadTemplates(withTemplate("elastic/rule.json.hbs", body)) };
    const out = convertRules(rules, ["elastic"], ctx);
    assert.equal(out.files, []);
    assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["elastic/invalid-output"]);
  }
  for (const body of ["{{#each lines}}{{{this}}},{{/each}}", "[{{#each lines}}{{{this}}}{{/each}}]", "{{#each lines}}{{{this}}}\n{{{this}}}\n{{/each}}", '{{#each lines}}{"x": 1}\n{{/each}}']) {
    const ctx = { ...testContext(), templates: loadTemplates(withTemplate("elastic/rules.ndjson.hbs", body)) };
    assert.throws(() => convertRules(rules, ["elastic", "sigma"], ctx), (e: unknown) => e instanceof TemplateError && /rules\.ndjson\.hbs/.test(e.message), body);
  }
  const dir = tempTree({ "r.yaml": NATIVE, "tpl/elastic/rules.ndjson.hbs": "{{#each lines}}{{{this}}},{{/each}}" });
  const r = rulecast(["convert", "r.yaml", "--templates", "tpl", "--out", "out"], dir);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^rulecast: template \S+\/tpl\/elastic\/rules\.ndjson\.hbs: line 1 of the output does not read back as a rule: /m);
  assert.not.ok(existsSync(join(dir, "out")));
});

test("a user's Splunk templates: a stanza that does not read back as written fails the rule, a bundle stops the run", () => {
  const rules = readRules([{ path: "r.yaml", text: NATIVE.replace(/^name: .*$/m, 'name: "Rule\\\\"') }]).rules;
  const stanza = readFileSync("templates/splunk/stanza.conf.hbs", "utf8");
  const raw = { ...testContext(), templates: loadTemplates(withTemplate("splunk/stanza.conf.hbs", `${stanza}note = {{rule.description}}\nother = {{rule.name}}\n`)) };
  const multi = readRules([{ path: "r.yaml", text: NATIVE.replace(/^description: .*$/m, 'description: "x\\n[evil]\\nsearch = | delete"') }]).rules;
  const out = convertRules(multi, ["splunk"], raw);
  assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["splunk/conf-output"]);
  assert.equal(out.files, []);
  // The built-in template refuses the title that ends in a backslash before rendering anything.
  assert.equal(convertRules(rules, ["splunk"], testContext()).diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["splunk/conf-title"]);
  const good = readRules([{ path: "r.yaml", text: NATIVE }]).rules;
  for (const body of ["{{#each stanzas}}{{{this}}}\\\n{{/each}}", "{{#each stanzas}}{{{this}}}\n{{{this}}}\n{{/each}}", "[default]\nsearch = | delete\n{{#each stanzas}}\n{{{this}}}\n{{/each}}"]) {
    const ctx = { ...testContext(), templates: loadTemplates(withTemplate("splunk/savedsearches.conf.hbs", body)) };
    assert.throws(() => convertRules(good, ["splunk"], ctx), (e: unknown) => e instanceof TemplateError && /savedsearches\.conf\.hbs/.test(e.message), body);
  }
});

test("strict templates: a field the view lacks, as a helper argument or plain, is an error naming the template and line", () => {
  const builtin = readFileSync("templates/sigma/rule.yaml.hbs", "utf8");
  for (const [line, body] of [
    [3, "title: {{yaml title}}\nid: {{yaml id}}\nx: {{json nosuchfield}}\n"],
    [2, "title: {{yaml title}}\nx: {{yaml rule.nosuch}}\n"],
    [4, "title: {{yaml title}}\n\n\nx: {{nosuch}}\n"],
    [1, "x: {{yamlBlock nosuch 4}}\n"],
  ] as const) {
    const dir = tempTree({ "r.yml": SIGMA_RULE, [`tpl/sigma/rule.yaml.hbs`]: `${body}${builtin.slice(builtin.indexOf("\n", 30))}` });
    const r = rulecast(["convert", "r.yml", "--to", "sigma", "--templates", "tpl", "--out", "out"], dir);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^r\\.yml:\\d+:\\d+: error template/render: template \\S+/tpl/sigma/rule\\.yaml\\.hbs line ${line}: `, "m"), r.stderr);
    assert.not.match(r.stderr, /internal error|at .*\.js:\d+/);
    assert.not.ok(existsSync(join(dir, "out", "sigma")));
  }
  // A path through a missing object: Handlebars says which part, and the template is named.
  const deep = tempTree({ "r.yml": SIGMA_RULE, "tpl/sigma/rule.yaml.hbs": "x: {{json a.b.c}}\n" });
  const r = rulecast(["convert", "r.yml", "--to", "sigma", "--templates", "tpl"], deep);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /error template\/render: template \S+\/tpl\/sigma\/rule\.yaml\.hbs: /);
});

test("a template that does not compile stops the run: one line naming the file and line, exit 2", () => {
  for (const [line, body] of [
    [1, "title: {{ yaml title"],
    [4, "a\nb\n{{#if title}}\nno end"],
    [2, "a\n{{#each x}}{{/if}}"],
    [1, "{{> partial}}"],
  ] as const) {
    const dir = tempTree({ "r.yml": SIGMA_RULE, "tpl/sigma/rule.yaml.hbs": body });
    const r = rulecast(["convert", "r.yml", "--to", "sigma", "--templates", "tpl", "--out", "out"], dir);
    if (body.includes(">")) {
      // A partial is a runtime error (no partials are registered): it fails the rule, not the run.
      assert.is(r.code, 1, r.stderr);
      continue;
    }
    assert.is(r.code, 2, `${body}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^rulecast: template \\S+/tpl/sigma/rule\\.yaml\\.hbs line ${line}: `), r.stderr);
    assert.is(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
    assert.not.ok(existsSync(join(dir, "out")));
  }
});

test("every file written by a run over the golden cases and rules/ parses back (the CLI writes what the pipeline checked)", () => {
  const dir = tempTree({});
  const r = rulecast(["convert", join(process.cwd(), "rules"), join(process.cwd(), "test/golden/cases"), "--out", "out", "--skip-errors", "--splunk-app", "soc"], dir);
  assert.not.match(r.stderr, /internal error/);
  const written = readdirSync(join(dir, "out"), { recursive: true, encoding: "utf8" }).filter((f) => /\.(yml|json|ndjson|conf|meta)$/.test(f));
  assert.ok(written.length > 20, written.join(" "));
  for (const f of written) {
    const text = readFileSync(join(dir, "out", f), "utf8");
    if (f.endsWith(".yml")) {
      const docs = parseAllDocuments(text, { uniqueKeys: true });
      assert.ok(Array.isArray(docs) && docs.every((d) => d.errors.length === 0 && d.warnings.length === 0), f);
    } else if (f.endsWith(".ndjson")) text.trimEnd().split("\n").forEach((l) => JSON.parse(l));
    else if (f.endsWith(".json")) JSON.parse(text);
    else assert.equal(readConf(text).problems, [], f);
  }
});

test.run();
