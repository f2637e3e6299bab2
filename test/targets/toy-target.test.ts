/**
 * Adding a target is a folder plus a line: a toy target (test/targets/toy/) registered beside the
 * built-in ones runs through the whole CLI (convert, list targets, list options, its setting from
 * a flag, the environment and the config file), and the built-in targets are unaffected.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run-cli.js";
import { BUILTIN_TARGETS } from "../../src/targets/registry.js";
import type { TargetRegistry } from "../../src/targets/target.js";
import { tempTree } from "../helpers/cli.js";
import { printToy, toyTarget } from "./toy/toy-target.js";

const WITH_TOY: TargetRegistry = { ...BUILTIN_TARGETS, targets: [...BUILTIN_TARGETS.targets, toyTarget] };

async function run(args: readonly string[], cwd: string, env: Record<string, string> = {}, registry = WITH_TOY) {
  let stdout = "";
  let stderr = "";
  const io: Io = { cwd, env, out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdinIsTty: false, stderrIsTty: false };
  const code = await runCli(args, io, registry);
  return { code, stdout, stderr };
}

const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
const EXPECTED =
  '(and (= event.category "network") (= event.type "connection") (or (= process.name "Microsoft.Workflow.Compiler.exe") (= process.name "bginfo.exe") (= process.name "cdb.exe") (= process.name "cmstp.exe") (= process.name "csi.exe") (= process.name "dnx.exe") (= process.name "fsi.exe") (= process.name "ieexec.exe") (= process.name "iexpress.exe") (= process.name "odbcconf.exe") (= process.name "rcsi.exe") (= process.name "xwizard.exe")))\n';

test("list targets shows the registered toy target after the built-in ones", async () => {
  const r = await run(["list", "targets"], process.cwd());
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sigma +.*\nsplunk +.*\nelastic +.*\ntoy +a test target: queries in a prefix language \(<slug>\.toy\)\n$/);
  const builtin = await run(["list", "targets"], process.cwd(), {}, BUILTIN_TARGETS);
  assert.not.match(builtin.stdout, /toy/);
});

test("convert --to toy writes the toy files; the built-in targets write what they always did", async () => {
  const dir = tempTree({ "rules/a.yaml": seed });
  const r = await run(["convert", "rules", "--to", "toy,splunk", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(dir, "out/toy/unusual_process_network_connection.toy"), "utf8"), `; Unusual Process Network Connection\n${EXPECTED}`);
  assert.is(readFileSync(join(dir, "out/toy/index.toy"), "utf8"), "unusual_process_network_connection\n");
  assert.is(readFileSync(join(dir, "out/splunk/unusual_process_network_connection.spl"), "utf8"), readFileSync("out/splunk/unusual_process_network_connection.spl", "utf8"));
});

test("the toy target's setting comes from its declaration: flag > RULECAST_* > config file > default", async () => {
  const dir = tempTree({ "rules/a.yaml": seed, "rulecast.config.yaml": "toy:\n  comment: '#'\n" });
  const first = async (args: string[], env: Record<string, string> = {}) => {
    const r = await run(["convert", "rules", "--to", "toy", ...args], dir, env);
    assert.is(r.code, 0, r.stderr);
    return r.stdout.split("\n")[1];
  };
  assert.is(await first([]), "# Unusual Process Network Connection");
  assert.is(await first([], { RULECAST_TOY_COMMENT: "--" }), "-- Unusual Process Network Connection");
  assert.is(await first(["--toy-comment", "//"], { RULECAST_TOY_COMMENT: "--" }), "// Unusual Process Network Connection");
  const options = await run(["list", "options"], dir);
  assert.match(options.stdout, /^--toy-comment +comment marker of \.toy files \(default ;\) \[config toy\.comment, RULECAST_TOY_COMMENT\]$/m);
  // An unknown key under the toy target's config group is refused, as for every declared group.
  const bad = await run(["convert", "rules", "--to", "toy"], tempTree({ "rules/a.yaml": seed, "rulecast.config.yaml": "toy:\n  colour: red\n" }));
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /toy\.colour: unknown key `colour` \(known: comment\)/);
});

test("what the toy language cannot say is refused by the toy target, by name", async () => {
  assert.is(printToy({ kind: "match", field: "f", value: { kind: "string", parts: [{ kind: "one" }] }, caseSensitive: true }), undefined);
  const dir = tempTree({ "rules/a.yaml": seed.replace("query: >-", "query: >-\n  process.pid > 4 and") });
  const r = await run(["convert", "rules", "--to", "toy"], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /error toy\/unsupported: toy: the toy language cannot say this query/);
});

test.run();
