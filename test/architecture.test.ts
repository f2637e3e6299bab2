/**
 * The dependency arrows of STYLE.md, read from each source file's import lines: the IR imports
 * nothing outside itself, parsers and readers know no target, targets never import each other,
 * and only the CLI touches the process (streams, exit, console).
 */
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
    relative(".", normalize(join(dirname(file), m[1]!.replace(/\.js$/, ".ts")))),
  );
}

test("the import reader sees imports (so the checks below can fail)", () => {
  assert.ok(imports("src/pipeline/convert.ts").includes("src/targets/sigma/index.ts"));
});

test("src/ir imports nothing outside src/ir", () => {
  const bad = files.filter((f) => f.startsWith("src/ir/")).flatMap((f) => imports(f).filter((i) => !i.startsWith("src/ir/")).map((i) => `${f} → ${i}`));
  assert.equal(bad, []);
});

test("parsers and readers know no target and no CLI", () => {
  const bad = files
    .filter((f) => f.startsWith("src/query/") || f.startsWith("src/sources/") || f.startsWith("src/passes/") || f.startsWith("src/eval/"))
    .flatMap((f) => imports(f).filter((i) => i.startsWith("src/targets/") || i.startsWith("src/cli/")).map((i) => `${f} → ${i}`));
  assert.equal(bad, []);
});

test("a target never imports another target", () => {
  const bad = files
    .filter((f) => /^src\/targets\/[^/]+\//.test(f))
    .flatMap((f) => {
      const own = f.split("/")[2];
      return imports(f)
        .filter((i) => /^src\/targets\/[^/]+\//.test(i) && i.split("/")[2] !== own)
        .map((i) => `${f} → ${i}`);
    });
  assert.equal(bad, []);
});

test("only src/cli prints, exits or reads the process's streams", () => {
  const bad = files
    .filter((f) => !f.startsWith("src/cli/"))
    .filter((f) => /\bprocess\.(exit|stdout|stderr|stdin|argv|exitCode)\b|\bconsole\.(log|error|warn)\(/.test(readFileSync(f, "utf8")));
  assert.equal(bad, []);
});

test.run();
