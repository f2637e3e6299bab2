/**
 * `convert --check` is CI's drift check: an output file that a fresh conversion would not write
 * (its rule was deleted) must fail it, naming the file, as a changed file does. Folders rulecast
 * does not own (other targets, other naming) are not judged.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, seedVariant, tempTree } from "../helpers/cli.js";

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");

test("a deleted rule's outputs and a stray file fail --check by name; a write removes them and --check passes again", () => {
  const dir = tempTree({ "rules/a.yaml": seedVariant(seed, 1), "rules/b.yaml": seedVariant(seed, 2) });
  const args = ["convert", "rules", "--to", "sigma,elastic", "--out", "out"];
  assert.is(rulecast(args, dir).code, 0);
  assert.is(rulecast([...args, "--check"], dir).code, 0, "fresh output passes");
  rmSync(join(dir, "rules/b.yaml"));
  writeFileSync(join(dir, "out/sigma/notes.txt"), "hand-made\n");
  const r = rulecast([...args, "--check"], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^out\/sigma\/seed_variant_2\.yml: not written by a fresh conversion/m);
  assert.match(r.stderr, /^out\/elastic\/seed_variant_2\.json: not written by a fresh conversion/m);
  assert.match(r.stderr, /^out\/sigma\/notes\.txt: not written by a fresh conversion/m);
  assert.is(rulecast(args, dir).code, 0);
  assert.not.ok(existsSync(join(dir, "out/sigma/seed_variant_2.yml")), "the write removed the stale file");
  assert.is(rulecast([...args, "--check"], dir).code, 0, "and --check passes again");
});

test("folders of targets not converted are not judged", () => {
  const dir = tempTree({ "rules/a.yaml": seedVariant(seed, 1) });
  assert.is(rulecast(["convert", "rules", "--to", "sigma,splunk", "--out", "out"], dir).code, 0);
  assert.is(rulecast(["convert", "rules", "--to", "sigma", "--out", "out", "--check"], dir).code, 0);
});

test.run();
