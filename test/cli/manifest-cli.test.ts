/**
 * The manifest in `--out` (issue 17, item 8): converting one file removes only what earlier runs
 * wrote for that file, never the other rules' outputs; `--check` judges the same way; a tampered
 * manifest cannot make rulecast remove anything outside its target folders.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, seedVariant, tempTree } from "../helpers/cli.js";
import { snapshot } from "../helpers/folder-snapshot.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const CONFIG = "rules: [rules]\ntargets: [sigma, elastic]\nout: out\n";
const MANIFEST = "out/.rulecast-manifest.json";

function repo(): string {
  return tempTree({ "rulecast.config.yaml": CONFIG, "rules/a.yaml": seedVariant(seed, 1), "rules/b.yaml": seedVariant(seed, 2), "rules/c.yaml": seedVariant(seed, 3) });
}

test("converting one file with the config's out: keeps every other rule's outputs", () => {
  const dir = repo();
  assert.is(rulecast(["convert"], dir).code, 0);
  const all = snapshot(join(dir, "out"));
  assert.ok(all["sigma/seed_variant_2.yml"] && all["elastic/seed_variant_3.json"]);
  const r = rulecast(["convert", "rules/a.yaml"], dir);
  assert.is(r.code, 0, r.stderr);
  for (const f of ["sigma/seed_variant_2.yml", "sigma/seed_variant_3.yml", "elastic/seed_variant_2.json", "elastic/seed_variant_3.json"]) {
    assert.ok(existsSync(join(dir, "out", f)), `${f} was kept`);
  }
  // The manifest still records the rules this run did not read.
  assert.match(readFileSync(join(dir, MANIFEST), "utf8"), /"\.\.\/rules\/b\.yaml"/);
  assert.is(rulecast(["convert", "rules/a.yaml", "--check"], dir).code, 0, "one file's --check passes on the whole folder");
});

test("a one-file run removes that file's own stale outputs only; a deleted rule's outputs go with the next folder run", () => {
  const dir = repo();
  assert.is(rulecast(["convert"], dir).code, 0);
  // a.yaml's rule is renamed: its old outputs are stale, and this run's to remove.
  writeFileSync(join(dir, "rules/a.yaml"), seedVariant(seed, 1).replace(/^name: .*$/m, "name: Renamed rule"));
  const one = rulecast(["convert", "rules/a.yaml"], dir);
  assert.is(one.code, 0, one.stderr);
  assert.not.ok(existsSync(join(dir, "out/sigma/seed_variant_1.yml")), "the file's old output is gone");
  assert.ok(existsSync(join(dir, "out/sigma/renamed_rule.yml")));
  assert.ok(existsSync(join(dir, "out/sigma/seed_variant_2.yml")));
  // A deleted rule is not an input of a one-file run: its outputs stay, and that run's --check does not judge them.
  rmSync(join(dir, "rules/b.yaml"));
  assert.is(rulecast(["convert", "rules/c.yaml"], dir).code, 0);
  assert.ok(existsSync(join(dir, "out/sigma/seed_variant_2.yml")), "b's outputs are not a c-only run's to remove");
  assert.is(rulecast(["convert", "rules/c.yaml", "--check"], dir).code, 0);
  // The folder run walked where b.yaml was: --check names its outputs, and a write removes them.
  const check = rulecast(["convert", "--check"], dir);
  assert.is(check.code, 1, check.stderr);
  assert.match(check.stderr, /^out\/sigma\/seed_variant_2\.yml: not written by a fresh conversion/m);
  assert.is(rulecast(["convert"], dir).code, 0);
  assert.not.ok(existsSync(join(dir, "out/sigma/seed_variant_2.yml")));
  assert.not.match(readFileSync(join(dir, MANIFEST), "utf8"), /b\.yaml/);
  assert.is(rulecast(["convert", "--check"], dir).code, 0);
});

test("the manifest is deterministic: sorted, LF, trailing newline, paths relative to the output folder", () => {
  const dir = repo();
  assert.is(rulecast(["convert"], dir).code, 0);
  const text = readFileSync(join(dir, MANIFEST), "utf8");
  assert.ok(text.endsWith("}\n") && !text.includes("\r"));
  assert.not.match(text, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "no absolute path");
  const m = JSON.parse(text) as { sources: Record<string, string[]>; bundles: string[] };
  assert.equal(Object.keys(m.sources), ["../rules/a.yaml", "../rules/b.yaml", "../rules/c.yaml"]);
  assert.equal(m.sources["../rules/a.yaml"], ["elastic/seed_variant_1.json", "sigma/seed_variant_1.yml"]);
  assert.equal(m.bundles, ["elastic/rules.ndjson"]);
  // Another order of runs ends in the same bytes.
  rmSync(join(dir, "out"), { recursive: true });
  for (const f of ["rules/c.yaml", "rules/a.yaml", "rules/b.yaml"]) assert.is(rulecast(["convert", f], dir).code, 0);
  assert.is(readFileSync(join(dir, MANIFEST), "utf8"), text);
});

test("a tampered manifest cannot make rulecast remove anything outside its target folders", () => {
  const dir = repo();
  assert.is(rulecast(["convert"], dir).code, 0);
  mkdirSync(join(dir, "elsewhere"));
  const victims = ["elsewhere/keep.txt", "out/keep.txt", "out/notes/keep.txt", "rules/b.yaml"];
  for (const v of victims.slice(0, 3)) {
    mkdirSync(join(dir, v, ".."), { recursive: true });
    writeFileSync(join(dir, v), "precious\n");
  }
  const claims = ["../elsewhere/keep.txt", "sigma/../../elsewhere/keep.txt", join(dir, "elsewhere/keep.txt"), "keep.txt", "notes/keep.txt", "../rules/b.yaml", "sigma/../keep.txt", "./keep.txt", "sigma\\..\\keep.txt"];
  const tampered = {
    version: 1,
    sources: { "../rules/a.yaml": claims, "/": claims, "../..": claims, [join(dir, "rules/a.yaml")]: claims },
    bundles: claims,
  };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(tampered));
  const r = rulecast(["convert"], dir);
  assert.is(r.code, 0, r.stderr);
  for (const v of victims) assert.ok(existsSync(join(dir, v)), `${v} is still there`);
  // A rule this run read is recorded with what the run wrote for it, and no path that leaves the folder survives.
  const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { sources: Record<string, string[]>; bundles: string[] };
  assert.ok(m.sources["../rules/a.yaml"]!.includes("sigma/seed_variant_1.yml"));
  assert.not.match(JSON.stringify(m), /\.\.\/elsewhere|\/\.\.\/|\\\\/);
});

test("a manifest that is not one is read as absent: nothing is removed, and it is written anew", () => {
  const dir = repo();
  assert.is(rulecast(["convert"], dir).code, 0);
  writeFileSync(join(dir, MANIFEST), "not json\n");
  rmSync(join(dir, "rules/b.yaml"));
  const r = rulecast(["convert"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /\.rulecast-manifest\.json: not JSON; read as absent/);
  assert.ok(existsSync(join(dir, "out/sigma/seed_variant_2.yml")), "without a manifest nothing is judged stale");
  assert.match(readFileSync(join(dir, MANIFEST), "utf8"), /"version": 1/);
});

test.run();
