/**
 * Conf injection: nothing in a rule may add a stanza, a key or a comment line to savedsearches.conf
 * or app.conf, or continue a value into the next line. Every metadata field that reaches the file
 * (as a value, a comment or the stanza name), in every input format, is given line breaks, CRs,
 * other control characters and backslashes at line ends; the file must then read back (the
 * conf reader models Splunk's) as exactly the intended stanza with exactly the template's keys,
 * or the rule is refused with an error naming it. Ids with control characters are refused where
 * they are read, with a position.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { convertRules } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { readConf } from "../../src/render/conf-reader.js";
import { confComment, confValue, confValueProblem } from "../../src/render/escape.js";
import { loadTemplates, TemplateError } from "../../src/render/templates.js";
import { splunkAppFiles } from "../../src/targets/splunk/splunk-app.js";
import { rulecast, tempTree } from "../helpers/cli.js";
import { testContext } from "../helpers/convert-fixture.js";
import { readBackProblem } from "../helpers/read-back.js";
import { FIELDS, FORMATS, NORMAL, quoted, ruleFile, type Field, type Format } from "./hostile-rules.js";

/** Ways a value can end a conf line or a value early, or start a line of its own. */
const HOSTILE: readonly string[] = [
  "\n[evil]\nsearch = | delete\ncron_schedule = * * * * *",
  "\r\n[evil]\nsearch = | delete",
  "\r[evil] search = | delete",
  " \\",
  "\\",
  "\\ \t",
  "\\\n[evil]\nenableSched = 1",
  "\n# comment\n\\",
  "\u2028[evil]\u2029search = x",
  "\u0085[evil]",
  "\u0000[evil]",
  "\u000b\u000c\u001b[31m",
  "\u007f\u009b",
];

/** The keys of templates/splunk/stanza.conf.hbs, written out independently of the target. */
const STANZA_KEYS = [
  "description", "search", "disabled", "enableSched", "cron_schedule", "dispatch.earliest_time", "dispatch.latest_time",
  "dispatch.max_count", "allow_skew", "schedule_window", "counttype", "relation", "quantity", "alert.track", "alert.digest_mode",
  "alert.severity", "action.correlationsearch.enabled", "action.correlationsearch.label", "action.correlationsearch.annotations",
  "action.correlationsearch.metadata", "action.notable", "action.notable.param.rule_title", "action.notable.param.rule_description",
  "action.notable.param.severity", "action.risk", "action.risk.param._risk", "action.risk.param._risk_message",
  "action.risk.param._risk_score", "action.risk.param.verbose",
].sort();

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const CONTEXT = testContext({ unmapped: "keep", elasticLanguage: "kuery" });
const APP_CONTEXT = testContext({ unmapped: "keep", elasticLanguage: "kuery", splunkApp: "soc_app" });

interface Outcome {
  readonly problem?: string;
  readonly splunkConverted: boolean;
}

/** One hostile rule through reading and every target; `problem` says what went wrong, if anything. */
function convertHostile(format: Format, field: Field, hostile: string, options: { splunkApp?: "soc_app" } = {}): Outcome {
  const values = { ...NORMAL, [field]: `${NORMAL[field]}${hostile}` };
  const file = ruleFile(format, values);
  const read = readRules([file]);
  const readErrors = read.diagnostics.filter((d) => d.severity === "error");
  const label = `${format} ${field} ${JSON.stringify(hostile)}`;
  if (field === "id" && CONTROL.test(hostile)) {
    const bad = readErrors.find((d) => /\/invalid-id$/.test(d.code));
    if (!bad || !(bad.line! >= 1 && bad.col! >= 1)) return { problem: `${label}: no positioned invalid-id error: ${read.diagnostics.map(formatDiagnostic).join("; ")}`, splunkConverted: false };
    return { splunkConverted: false };
  }
  if (readErrors.length > 0 || read.rules.length !== 1) return { problem: `${label}: not read: ${read.diagnostics.map(formatDiagnostic).join("; ")}`, splunkConverted: false };
  const out = convertRules(read.rules, ["sigma", "splunk", "elastic"], options.splunkApp ? APP_CONTEXT : CONTEXT);
  const problem = readBackProblem(out.files);
  if (problem) return { problem: `${label}: ${problem}`, splunkConverted: false };
  const conf = out.files.find((f) => f.target === "splunk" && f.path === "savedsearches.conf");
  if (!conf) {
    const refused = out.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("splunk/"));
    return refused ? { splunkConverted: false } : { problem: `${label}: no savedsearches.conf and no splunk error`, splunkConverted: false };
  }
  // Held against the template's key list too, not only against the target's own intended document.
  const read2 = readConf(conf.content);
  const names = read2.stanzas.map((s) => s.name);
  const title = options.splunkApp ? (t: string) => `${options.splunkApp} - ${t}` : (t: string) => t;
  const named = (n: string) => (field === "title" ? n.startsWith(title(NORMAL.title)) : n === title(NORMAL.title) || n === `${title(NORMAL.title)} - Rule`);
  if (names.length !== 1 || !named(names[0]!)) return { problem: `${label}: stanzas ${JSON.stringify(names)}`, splunkConverted: true };
  const keys = [...read2.stanzas[0]!.keys.keys()].sort();
  if (keys.join(" ") !== STANZA_KEYS.join(" ")) return { problem: `${label}: keys ${keys.join(" ")}`, splunkConverted: true };
  if (read2.comments.some((c) => !c.startsWith("#"))) return { problem: `${label}: a comment line that is no comment`, splunkConverted: true };
  return { splunkConverted: true };
}

test("conf values: confValue's writing reads back as the value, or confValueProblem refuses it (property)", () => {
  const piece = fc.constantFrom("a", " ", "\t", "\n", "\r", "\\", "[x]", "=", "#", "\u2028", "\u0085", "\u0000", "\u00a0", "é");
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }).map((xs) => xs.join("")), (v) => {
      const problem = confValueProblem(v);
      if (problem) {
        assert.throws(() => confValue(v));
        return;
      }
      const read = readConf(`[s]\nkey = ${confValue(v)}\nnext = 1\n`);
      assert.equal(read.problems, []);
      assert.equal(read.stanzas.map((s) => [s.name, Object.fromEntries(s.keys)]), [["s", { key: v.trim(), next: "1" }]], JSON.stringify(v));
    }),
    { seed: 13, numRuns: 3000 },
  );
});

test("conf comments: confComment is always one comment line that continues nothing (property)", () => {
  const piece = fc.constantFrom("a", " ", "\n", "\r", "\\", "[x]", "k = v", "#", "\u2028", "\u0085", "\u0000");
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }).map((xs) => xs.join("")), (v) => {
      const read = readConf(`# ${confComment(v)}\n[s]\nkey = 1\n`);
      assert.equal(read.problems, []);
      assert.is(read.comments.length, 1, JSON.stringify(v));
      assert.equal(read.stanzas.map((s) => [s.name, Object.fromEntries(s.keys)]), [["s", { key: "1" }]]);
    }),
    { seed: 13, numRuns: 3000 },
  );
});

const cases = FORMATS.flatMap((format) => FIELDS[format].flatMap((field) => HOSTILE.map((hostile) => ({ format, field, hostile }))));

test(`${cases.length} hostile metadata values (every field that reaches a conf file, 4 input formats): exactly the intended stanza and keys, or a refusal`, () => {
  const problems: string[] = [];
  let refused = 0;
  for (const c of cases) {
    let o: Outcome;
    try {
      o = convertHostile(c.format, c.field, c.hostile);
    } catch (e) {
      o = { problem: `${c.format} ${c.field} ${JSON.stringify(c.hostile)}: threw ${String(e)}`, splunkConverted: false };
    }
    if (o.problem) problems.push(o.problem);
    if (!o.splunkConverted) refused++;
  }
  assert.equal(problems, []);
  // Most values are written (escaped in comments, as continuations in prose); some are refused.
  assert.ok(refused > 0 && refused < cases.length / 2, `${refused} of ${cases.length} refused`);
});

test("the same values under --splunk-app, whose name prefixes every stanza", () => {
  const problems = cases
    .filter((c) => c.field === "title" || c.field === "id")
    .map((c) => convertHostile(c.format, c.field, c.hostile, { splunkApp: "soc_app" }).problem)
    .filter((p) => p !== undefined);
  assert.equal(problems, []);
});

test("a newline in an id is refused where it is read, in every format, with the id's position", () => {
  for (const format of FORMATS) {
    const file = ruleFile(format, { ...NORMAL, id: "x\n[evil]" });
    const errors = readRules([file]).diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    assert.equal(errors.length, 1, `${format}: ${errors.join("\n")}`);
    assert.match(errors[0]!, new RegExp(`^${file.path}:\\d+:\\d+: error [a-z]+/invalid-id: \`(rule_)?id\` holds the control character U\\+000A \\(character 2\\)`), format);
  }
});

test("a Sigma id that is not a UUID is a warning, and the rule still converts", () => {
  for (const id of ["my-rule", "4a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5", "{4a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b}"]) {
    const read = readRules([ruleFile("sigma", { ...NORMAL, id })]);
    assert.equal(read.diagnostics.filter((d) => d.code === "sigma/id-not-uuid").map((d) => d.severity), ["warning"], id);
    assert.is(read.rules.length, 1);
  }
  const upper = readRules([ruleFile("sigma", { ...NORMAL, id: NORMAL.id.toUpperCase() })]);
  assert.equal(upper.diagnostics.filter((d) => d.code === "sigma/id-not-uuid"), []);
});

test("titles that Splunk would read as another name or another key are refused for Splunk only", () => {
  for (const [title, code] of [
    ["Rule T1 c\\", "splunk/conf-title"],
    ["default", "splunk/stanza-name"],
    ["DEFAULT", "splunk/stanza-name"],
    ["[]", "splunk/stanza-name"],
    ["Rule\u001b[2J", "splunk/conf-title"],
  ] as const) {
    const read = readRules([ruleFile("sigma", { ...NORMAL, title })]);
    const out = convertRules(read.rules, ["sigma", "splunk"], testContext());
    assert.equal(out.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), [code], title);
    assert.equal(out.outcomes[0]!.converted, ["sigma"], title);
    assert.is(readBackProblem(out.files), undefined);
  }
});

test("a multi-line title is one line in the stanza name and the labels", () => {
  const read = readRules([ruleFile("native", { ...NORMAL, title: "Whoami\n[evil]\nsearch = | delete" })]);
  const out = convertRules(read.rules, ["splunk"], testContext());
  const conf = readConf(out.files.find((f) => f.path === "savedsearches.conf")!.content);
  assert.equal(conf.problems, []);
  assert.equal(conf.stanzas.map((s) => s.name), ["Whoami  evil  search = | delete"]);
  assert.is(conf.stanzas[0]!.keys.get("action.correlationsearch.label"), "Whoami [evil] search = | delete");
});

test("app.conf: a version that would continue or add a line is refused, by the writer and by the config", () => {
  const templates = loadTemplates();
  for (const version of ["1.0\\", "v1\\ ", "1.0\r\nkey = v", "1.0\u0000", "1.0 \n[evil]"]) {
    assert.throws(() => splunkAppFiles("soc_app", version, "", "", templates), (e: unknown) => e instanceof TemplateError && /cannot be written/.test(e.message), JSON.stringify(version));
  }
  // What the writer can hold reads back as one value; the config refuses it anyway (below).
  for (const version of ["2.0beta", "1.0\n[evil]\nkey = v"]) {
    const app = readConf(splunkAppFiles("soc_app", version, "", "", templates).find((f) => f.path.endsWith("app.conf"))!.content);
    assert.equal(app.problems, []);
    assert.equal(app.stanzas.map((s) => s.name), ["install", "package", "id", "launcher", "ui"]);
    assert.is(app.stanzas[2]!.keys.get("version"), version);
  }

  const dir = tempTree({ "r.yml": readFileSync("test/golden/cases/kql_precedence_and_escaping.yaml", "utf8"), "rulecast.config.yaml": `splunk:\n  app: soc_app\n  app_version: ${quoted("v1\\")}\n` });
  const r = rulecast(["convert", "r.yml", "--to", "splunk", "--out", "out"], dir);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^rulecast: rulecast\.config\.yaml:3:\d+: error config\/invalid: splunk\.app_version: "v1\\\\" is not a Splunk app version/m);
  assert.not.match(r.stderr, /internal error/);
});

test("the CLI refuses hostile ids and titles per rule (exit 1, one line each), and writes the others with --skip-errors", () => {
  const files: Record<string, string> = {};
  FORMATS.forEach((format, i) => {
    const f = ruleFile(format, { ...NORMAL, id: `${NORMAL.id.slice(0, -1)}${i}\n[evil]`, title: `Rule ${i}` });
    files[`rules/a${i}-${f.path}`] = f.text;
    const g = ruleFile(format, { ...NORMAL, id: `${NORMAL.id.slice(0, -1)}${i + 4}`, title: `Rule ${i} ends in \\` });
    files[`rules/b${i}-${g.path}`] = g.text;
    const h = ruleFile(format, { ...NORMAL, id: `${NORMAL.id.slice(0, -1)}${i + 8}`, title: `Good rule ${i}` });
    files[`rules/c${i}-${h.path}`] = h.text;
  });
  const dir = tempTree(files);
  const r = rulecast(["convert", "rules", "--to", "splunk", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, /internal error|\n\[evil\]/);
  assert.is(r.stderr.match(/^rules\/a\d-hostile\.\w+:\d+:\d+: error \w+\/invalid-id: /gm)?.length, 4, r.stderr);
  assert.is(r.stderr.match(/^rules\/b\d-hostile\.\w+:\d+:\d+: error splunk\/conf-title: /gm)?.length, 4, r.stderr);
  const conf = readConf(readFileSync(`${dir}/out/splunk/savedsearches.conf`, "utf8"));
  assert.equal(conf.problems, []);
  assert.equal(conf.stanzas.map((s) => s.name).sort(), ["Good rule 0", "Good rule 1", "Good rule 2", "Good rule 3"]);
});

test.run();
