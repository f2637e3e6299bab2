/**
 * Bundles after a run over some of the rules (issue 17, item 8): `rulecast convert rules/one.yaml`
 * with the config's `out:` leaves savedsearches.conf, macros.conf, rules.ndjson and the Splunk app
 * holding every rule, byte for byte what a run over the folder writes; a bundle that was edited so
 * that one rule's bytes could reach another's stanza stops the run instead of being merged.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, seedVariant, tempTree } from "../helpers/cli.js";
import { snapshot } from "../helpers/folder-snapshot.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const CONFIG = "rules: [rules]\ntargets: [sigma, splunk, elastic]\nout: out\nsplunk:\n  app: soc\n";

function repo(files: Readonly<Record<string, string>> = {}): string {
  return tempTree({
    "rulecast.config.yaml": CONFIG,
    "rules/a.yaml": seedVariant(seed, 1),
    "rules/b.yaml": seedVariant(seed, 2),
    "rules/sub/c.yaml": seedVariant(seed, 3),
    "rules/d.yaml": seedVariant(seed, 4),
    ...files,
  });
}

function ok(args: readonly string[], dir: string): void {
  const r = rulecast(args, dir);
  assert.is(r.code, 0, `rulecast ${args.join(" ")}: ${r.stderr}`);
}

const stanzas = (dir: string) => [...readFileSync(join(dir, "out/splunk/savedsearches.conf"), "utf8").matchAll(/^\[(.*)\]$/gm)].map((m) => m[1]);

test("converting one file after a run over the folder leaves the output folder byte-identical", () => {
  const dir = repo();
  ok(["convert"], dir);
  const full = snapshot(join(dir, "out"));
  assert.ok(full["splunk-app/soc.tgz"] && full["elastic/rules.ndjson"] && full["splunk/macros.conf"]);
  for (const one of ["rules/b.yaml", "rules/sub/c.yaml", "rules/a.yaml"]) {
    ok(["convert", one], dir);
    assert.equal(snapshot(join(dir, "out")), full, `after converting ${one} alone`);
    ok(["convert", one, "--check"], dir);
  }
  ok(["convert", "--check"], dir);
});

test("rules converted one file at a time, in any order, end as a run over the folder does", () => {
  const dir = repo();
  ok(["convert"], dir);
  const full = snapshot(join(dir, "out"));
  rmSync(join(dir, "out"), { recursive: true });
  for (const one of ["rules/d.yaml", "rules/sub/c.yaml", "rules/a.yaml", "rules/b.yaml"]) ok(["convert", one], dir);
  assert.equal(snapshot(join(dir, "out")), full);
});

test("--check over one edited file compares the bundles as they would be kept: the other rules' entries are no drift", () => {
  const dir = repo();
  ok(["convert"], dir);
  writeFileSync(join(dir, "rules/b.yaml"), seedVariant(seed, 2).replace("Identifies network activity", "Finds network activity"));
  const r = rulecast(["convert", "rules/b.yaml", "--check"], dir);
  assert.is(r.code, 1, r.stderr);
  for (const f of ["splunk/savedsearches.conf", "elastic/rules.ndjson"]) {
    assert.is(r.stderr.split(`out/${f}: differs from a fresh conversion\n`).length, 2, `${f} is named once: ${r.stderr}`);
  }
  assert.match(r.stderr, /soc\.tgz: differs from a fresh conversion \(binary\)/);
  assert.not.match(r.stderr, /macros\.conf/, "no stanza was renamed: macros.conf is as it was");
  // The diff is of b.yaml's entries only, not of the other rules' (which a run of b.yaml alone would drop without the merge).
  assert.match(r.stdout, /^\+description = Finds network activity/m);
  assert.not.match(r.stdout, /^-\[soc - Seed Variant [134] - Rule\]$/m);
  assert.not.match(r.stdout, /^-\{"rule_id":"0000000[134]-/m);
  ok(["convert", "rules/b.yaml"], dir);
  ok(["convert", "--check"], dir);
});

test("a renamed rule replaces its own stanza, macro and line; the other rules keep theirs", () => {
  const dir = repo();
  ok(["convert"], dir);
  writeFileSync(join(dir, "rules/b.yaml"), seedVariant(seed, 2).replace(/^name: .*$/m, "name: Renamed Rule"));
  ok(["convert", "rules/b.yaml"], dir);
  assert.equal(stanzas(dir), ["soc - Seed Variant 1 - Rule", "soc - Renamed Rule - Rule", "soc - Seed Variant 4 - Rule", "soc - Seed Variant 3 - Rule"]);
  const macros = readFileSync(join(dir, "out/splunk/macros.conf"), "utf8");
  assert.not.match(macros, /seed_variant_2_filter/);
  assert.match(macros, /renamed_rule_filter/);
  assert.is(readFileSync(join(dir, "out/elastic/rules.ndjson"), "utf8").trimEnd().split("\n").length, 4);
  // What the folder run writes now is what is there.
  const after = snapshot(join(dir, "out"));
  ok(["convert", "--check"], dir);
  ok(["convert"], dir);
  assert.equal(snapshot(join(dir, "out")), after);
});

test("a rule file removed from a walked folder loses its pieces; one outside the run keeps them", () => {
  const dir = repo();
  ok(["convert"], dir);
  rmSync(join(dir, "rules/sub/c.yaml"));
  ok(["convert", "rules/a.yaml"], dir);
  assert.ok(stanzas(dir).includes("soc - Seed Variant 3 - Rule"), "c.yaml is not this run's: its stanza stays");
  ok(["convert", "rules/sub"], dir);
  assert.equal(stanzas(dir), ["soc - Seed Variant 1 - Rule", "soc - Seed Variant 2 - Rule", "soc - Seed Variant 4 - Rule"]);
  assert.not.match(readFileSync(join(dir, "out/elastic/rules.ndjson"), "utf8"), /00000003-/);
});

test("a one-file rule whose name another kept rule has is refused, nothing written", () => {
  const dir = repo();
  ok(["convert"], dir);
  const before = snapshot(join(dir, "out"));
  writeFileSync(join(dir, "rules/b.yaml"), seedVariant(seed, 2).replace(/^name: .*$/m, "name: Seed Variant 1"));
  const r = rulecast(["convert", "rules/b.yaml"], dir);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /b\.yaml writes "soc - Seed Variant 1 - Rule" into the Splunk bundle, where rules\/a\.yaml already has it/);
  assert.equal(snapshot(join(dir, "out")), before);
});

test("an edited bundle whose kept stanza would run into the next one stops the run; nothing is written", () => {
  const dir = repo();
  ok(["convert"], dir);
  const conf = join(dir, "out/splunk/savedsearches.conf");
  // A trailing backslash on a kept stanza's last line: merged as is, it would join the next rule's first line.
  writeFileSync(conf, readFileSync(conf, "utf8").replace(/(action\.notable\.param\.severity = low)\n\n/, "$1 \\\n\n"));
  const before = snapshot(join(dir, "out"));
  const r = rulecast(["convert", "rules/sub/c.yaml"], dir);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /savedsearches\.conf: cannot keep the other rules' splunk entries \(stanza 1: the last line continues into nothing\)/);
  assert.equal(snapshot(join(dir, "out")), before);
  // A run over every rule writes the bundle anew.
  ok(["convert"], dir);
  ok(["convert", "rules/sub/c.yaml", "--check"], dir);
});

test("an edited rules.ndjson line that is not one rule as rulecast writes it stops the run", () => {
  const dir = repo();
  ok(["convert"], dir);
  const ndjson = join(dir, "out/elastic/rules.ndjson");
  const original = readFileSync(ndjson, "utf8");
  for (const edit of [
    (t: string) => t.replace("\n", "\n{}\n"),
    (t: string) => t.replace(/^\{"rule_id"/, '{ "rule_id"'),
    (t: string) => t.replace("\n", '\n{"rule_id":"00000001-312f-4e04-bb55-3a79b8c95267"}\n'),
  ]) {
    writeFileSync(ndjson, edit(original));
    const r = rulecast(["convert", "rules/b.yaml"], dir);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /rules\.ndjson: cannot keep the other rules' elastic entries \(line \d/);
    assert.is(readFileSync(ndjson, "utf8"), edit(original), "nothing written");
  }
});

test("a manifest from before piece records: a one-file run keeps the other rules and replaces its own", () => {
  const dir = repo();
  ok(["convert"], dir);
  const full = snapshot(join(dir, "out"));
  const manifest = join(dir, "out/.rulecast-manifest.json");
  const m = JSON.parse(readFileSync(manifest, "utf8")) as { pieces?: unknown };
  delete m.pieces;
  writeFileSync(manifest, JSON.stringify(m, null, 2) + "\n");
  ok(["convert", "rules/a.yaml"], dir);
  const bundles = ["splunk/savedsearches.conf", "splunk/macros.conf", "elastic/rules.ndjson", "splunk-app/soc.tgz"];
  for (const b of bundles) assert.is(snapshot(join(dir, "out"))[b], full[b], b);
});

test.run();
