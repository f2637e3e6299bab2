/**
 * Output names from ids and rule file names (`--naming` with `{id}` or `{path}`): a name no disk
 * takes (a control character, over 255 bytes, `\` or `:`) fails that rule alone, naming it, and
 * `--skip-errors` writes every other rule; long names never overflow through their temporary
 * name; Windows device names and names ending in a dot or space get `_rule`; names that macOS or
 * Windows would take for one file (Unicode normalisation, case) are a collision.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { rulecastInProcess, seedVariant, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

/** A seed rule with this id (YAML double-quoted, so escapes such as `\0` work) and name `Seed Variant n`. */
function withId(n: number, id: string): string {
  return seedVariant(seed, n).replace(/^rule_id: .*$/m, `rule_id: ${JSON.stringify(id)}`);
}

function writtenFiles(out: string): string[] {
  return existsSync(out) ? readdirSync(out, { recursive: true, encoding: "utf8" }).filter((f) => /\.[a-z]+$/.test(f)).sort() : [];
}

function allText(out: string): string {
  return writtenFiles(out)
    .filter((f) => !f.endsWith(".tgz"))
    .map((f) => readFileSync(join(out, f), "utf8"))
    .join("\n");
}

const BAD_IDS: readonly [string, string][] = [
  ["a NUL", "bad\u0000id"],
  ["a newline", "bad\nid"],
  ["an escape", "bad\u001bid"],
  ["300 bytes", "x".repeat(300)],
  ["260 bytes in 130 characters", "é".repeat(130)],
  ["a backslash path", "..\\..\\..\\escaped"],
  ["a colon (a Windows stream)", "file:stream"],
];

test("an id no disk takes as a file name fails that rule alone, naming it; --skip-errors writes the rest", async () => {
  const files: Record<string, string> = { "rules/good1.yaml": seedVariant(seed, 1), "rules/good2.yaml": seedVariant(seed, 2) };
  BAD_IDS.forEach(([, id], i) => (files[`rules/bad${i}.yaml`] = withId(10 + i, id)));
  const dir = tempTree(files);
  const args = ["convert", "rules", "--to", "sigma,splunk,elastic", "--naming", "{target}/{id}", "--out", "out"];

  const strict = await rulecastInProcess(args, dir);
  assert.is(strict.code, 1, strict.stderr);
  assert.not.match(strict.stderr, /internal error|cannot write/);
  assert.not.ok(existsSync(join(dir, "out")), "nothing written without --skip-errors");

  const r = await rulecastInProcess([...args, "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, /internal error|cannot write/);
  BAD_IDS.forEach(([what], i) => assert.match(r.stderr, new RegExp(`^rules/bad${i}\\.yaml:\\d+:\\d+: error `, "m"), `${what}: the rule is named`));
  // Each bad rule reaches no target (or fails to load); the two good ones reach every target.
  const counts = /^\d+ rules?: (\d+) converted to every target, (\d+) to some.*, (\d+) to none, \d+ skipped(?:; (\d+) files? failed to load)?$/m.exec(r.stderr);
  assert.ok(counts, r.stderr);
  assert.equal([counts[1], Number(counts[2]) + Number(counts[3]) + Number(counts[4] ?? 0)], ["2", BAD_IDS.length]);
  const out = join(dir, "out");
  for (const f of ["sigma/00000001-312f-4e04-bb55-3a79b8c95267.yml", "elastic/00000002-312f-4e04-bb55-3a79b8c95267.json", "splunk/savedsearches.conf", "elastic/rules.ndjson"]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  // A failed rule is left out everywhere, bundles included.
  const text = allText(out);
  BAD_IDS.forEach(([what], i) => assert.not.ok(text.includes(`Seed Variant ${10 + i}`), `${what}: the failed rule was written`));
  assert.ok(text.includes("Seed Variant 1") && text.includes("Seed Variant 2"));
});

test("rule file names up to 255 bytes are written; their temporary names do not overflow", async () => {
  const names = ["l".repeat(244) + ".yaml", "m".repeat(250) + ".yaml", "é".repeat(125) + ".yaml", "n".repeat(246) + ".yml"];
  const dir = tempTree(Object.fromEntries(names.map((n, i) => [`rules/${n}`, seedVariant(seed, i + 1)])));
  const r = await rulecastInProcess(["convert", "rules", "--to", "sigma,splunk,elastic", "--naming", "{target}/{path}", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const written = writtenFiles(join(dir, "out"));
  for (const n of names) {
    const stem = n.replace(/\.ya?ml$/, "");
    for (const f of [`sigma/${stem}.yml`, `splunk/${stem}.spl`, `elastic/${stem}.json`]) assert.ok(written.includes(f), `${f.length} characters: ${f.slice(0, 30)}…`);
  }
  assert.equal(written.filter((f) => f.includes("rulecast-tmp")), []);
});

test("a file name that grows past 255 bytes with its target's extension fails that rule alone", async () => {
  // 251 + `.json` = 256 bytes: the Elastic file cannot exist, so the rule fails for every target.
  const long = "k".repeat(251);
  const dir = tempTree({ [`rules/${long}.yml`]: seedVariant(seed, 1), "rules/short.yaml": seedVariant(seed, 2) });
  const r = await rulecastInProcess(["convert", "rules", "--to", "sigma,splunk,elastic", "--naming", "{target}/{path}", "--out", "out", "--skip-errors"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^rules/${long}\\.yml:1:1: error output/invalid-name: cannot name a file "elastic/k+…" under --out: a name in it is 256 bytes long \\(at most 255\\)`, "m"));
  assert.equal(writtenFiles(join(dir, "out")), [".rulecast-manifest.json", "elastic/rules.ndjson", "elastic/short.json", "sigma/short.yml", "splunk/macros.conf", "splunk/savedsearches.conf", "splunk/short.spl"]);
});

/** Names Windows keeps for devices (any extension) or cannot hold (a trailing dot or space), per path segment. */
function unportable(segment: string): boolean {
  return /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?=[. ]|$)/i.test(segment) || /[. ]$/.test(segment);
}

test("Windows device names and names ending in a dot or space get _rule, in every segment", async () => {
  const byPath: [string, string][] = [
    ["CON.yaml", "CON_rule.yml"],
    ["aux.yaml", "aux_rule.yml"],
    ["Nul.yaml", "Nul_rule.yml"],
    ["com1.yaml", "com1_rule.yml"],
    ["COM0.yaml", "COM0_rule.yml"],
    ["LPT9.yaml", "LPT9_rule.yml"],
    ["prn.txt.yaml", "prn_rule.txt.yml"],
    ["name. .yaml", "name. _rule.yml"],
    ["dots...yaml", "dots.._rule.yml"],
    ["aux/inner.yaml", "aux_rule/inner.yml"],
    ["trail./inner.yaml", "trail._rule/inner.yml"],
    ["space /inner.yaml", "space _rule/inner.yml"],
    ["lpt1.d/inner.yaml", "lpt1_rule.d/inner.yml"],
    ["console.yaml", "console.yml"],
    ["COM10.yaml", "COM10.yml"],
  ];
  const dir = tempTree(Object.fromEntries(byPath.map(([p], i) => [`rules/${p}`, seedVariant(seed, i + 1)])));
  const r = await rulecastInProcess(["convert", "rules", "--to", "sigma,splunk,elastic", "--naming", "{target}/{path}", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const written = writtenFiles(join(dir, "out"));
  for (const [from, to] of byPath) assert.ok(written.includes(`sigma/${to}`), `${from} → sigma/${to}; written: ${written.filter((w) => w.startsWith("sigma/")).join(", ")}`);
  for (const f of written) assert.not.ok(f.split("/").some(unportable), `${f} is not a name Windows can hold`);

  const ids = tempTree({ "rules/a.yaml": withId(1, "CON"), "rules/b.yaml": withId(2, "lpt3.x"), "rules/c.yaml": withId(3, "trailing.") });
  const byId = await rulecastInProcess(["convert", "rules", "--to", "sigma", "--naming", "{target}/{id}", "--out", "out"], ids);
  assert.is(byId.code, 0, byId.stderr);
  assert.equal(writtenFiles(join(ids, "out")), [".rulecast-manifest.json", "sigma/CON_rule.yml", "sigma/lpt3_rule.x.yml", "sigma/trailing._rule.yml"]);
});

test("names that differ only in Unicode normalisation or case are one file on macOS and Windows: a collision", async () => {
  const pairs: [string, string][] = [
    ["café", "cafe\u0301"],
    ["Ångström", "A\u030angstro\u0308m"],
    ["Report", "REPORT"],
    ["οδος", "ΟΔΟΣ"],
    ["ǆ", "ǅ"],
  ];
  for (const [a, b] of pairs) {
    for (const naming of ["{target}/{path}", "{target}/{id}"]) {
      const dir = tempTree(
        naming === "{target}/{path}"
          ? { [`rules/${a}.yaml`]: seedVariant(seed, 1), [`rules/${b}.yaml`]: seedVariant(seed, 2) }
          : { "rules/a.yaml": withId(1, a), "rules/b.yaml": withId(2, b) },
      );
      const r = await rulecastInProcess(["convert", "rules", "--to", "sigma", "--naming", naming, "--out", "out"], dir);
      assert.is(r.code, 1, `${a} / ${b} (${naming}): ${r.stderr}`);
      assert.match(r.stderr, /error output\/name-collision: sigma\/.*would both be written here/, `${a} / ${b} (${naming})`);
      assert.not.ok(existsSync(join(dir, "out")), "nothing written");
    }
  }
});

test.run();
