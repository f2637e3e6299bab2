/**
 * The dependency arrows of STYLE.md, read from each source file's import lines: every folder sits
 * on a layer and imports only its own layer or those below; targets render only (no pipeline, no
 * passes, no other target); query languages know no pass and no target; only the registry lists
 * the targets; and only the CLI touches the process (streams, exit, console).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

const files = walk("src");
/** Local imports of a file, as paths under src/ (`src/ir/query.ts`). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)[^'"]*from\s+["'](\.[^"']+)["']/gm)].map((m) =>
    relative(".", normalize(join(dirname(file), m[1]!.replace(/\.js$/, ".ts")))).split("\\").join("/"),
  );
}
const edges = files.flatMap((f) => imports(f).map((i) => ({ from: f.split("\\").join("/"), to: i })));
const show = (es: readonly { from: string; to: string }[]) => es.map((e) => `${e.from} → ${e.to}`);

/** What each folder of src/ may build on: a folder imports its own layer or lower ones. */
const LAYER: Readonly<Record<string, number>> = {
  "ir": 0,
  "package-root.ts": 0,
  "diagnostics": 1,
  "query": 2,
  "options": 2,
  "input": 2,
  "eval": 3,
  "attack": 3,
  "mapping": 3,
  "render": 3,
  "sources": 4,
  "passes": 4,
  "targets": 5,
  "pipeline": 6,
  "config": 6,
  "checks": 6,
  "reports": 6,
  "testing": 6,
  "cli": 7,
};
const top = (path: string) => path.split("/")[1]!;

test("the import reader sees imports (so the checks below can fail)", () => {
  assert.ok(imports("src/targets/registry.ts").includes("src/targets/sigma/index.ts"));
  assert.ok(edges.length > 300, `${edges.length} imports`);
});

test("every folder of src/ has a layer, and no import runs back up", () => {
  assert.equal([...new Set(files.map(top))].filter((t) => LAYER[t] === undefined), []);
  assert.equal(show(edges.filter((e) => LAYER[top(e.to)]! > LAYER[top(e.from)]!)), []);
});

test("src/ir imports nothing outside src/ir", () => {
  assert.equal(show(edges.filter((e) => e.from.startsWith("src/ir/") && !e.to.startsWith("src/ir/"))), []);
});

test("targets render only: they import neither the pipeline nor the passes, nor each other", () => {
  const target = (p: string) => /^src\/targets\/[^/]+\//.exec(p)?.[0];
  const bad = edges.filter(
    (e) => e.from.startsWith("src/targets/") && (e.to.startsWith("src/pipeline/") || e.to.startsWith("src/passes/") || (target(e.from) && target(e.to) && target(e.from) !== target(e.to))),
  );
  assert.equal(show(bad), []);
});

test("query languages import neither passes nor targets (nor sources, the CLI or the pipeline)", () => {
  const bad = edges.filter((e) => e.from.startsWith("src/query/") && /^src\/(passes|targets|sources|pipeline|cli)\//.test(e.to));
  assert.equal(show(bad), []);
});

test("only src/targets/registry.ts lists the targets: nothing else imports a target's folder", () => {
  const bad = edges.filter((e) => /^src\/targets\/[^/]+\//.test(e.to) && !e.from.startsWith(e.to.split("/").slice(0, 3).join("/") + "/") && e.from !== "src/targets/registry.ts");
  assert.equal(show(bad), []);
});

test("only src/sources/registry.ts lists the rule formats: outside src/sources, no file imports a format's folder", () => {
  const bad = edges.filter((e) => /^src\/sources\/[^/]+\//.test(e.to) && !e.from.startsWith("src/sources/"));
  assert.equal(show(bad), []);
});

test("only src/cli prints, exits or reads the process's streams", () => {
  const bad = files
    .filter((f) => !f.startsWith("src/cli/"))
    .filter((f) => /\bprocess\.(exit|stdout|stderr|stdin|argv|exitCode)\b|\bconsole\.(log|error|warn)\(/.test(readFileSync(f, "utf8")));
  assert.equal(bad, []);
});

test("target names stay in their folders where code depends on them (issue 14: splunk in at most 2 files, elastic|kibana in at most 5)", () => {
  const r = spawnSync(process.execPath, ["scripts/target-words.mjs", "--no-text"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

test.run();
