/**
 * `rulecast init [DIR]`: a rules repository to start from: rulecast.config.yaml, one example
 * rule, and a GitHub Actions workflow that checks rules and the committed out/. Existing files are
 * never overwritten without --force. The files are templates/init/ (overridable by nothing: they
 * are a starting point the user edits).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { oneLine } from "../diagnostics/display-text.js";
import { BUILTIN_TEMPLATE_DIR } from "../render/templates.js";
import { writeOutput } from "../pipeline/write-output.js";
import { EXIT_OK, UsageError, type Io } from "./io.js";

/** Where each scaffold file goes, from its name under templates/init/. */
const SCAFFOLD: readonly (readonly [string, string])[] = [
  ["rulecast.config.yaml", "rulecast.config.yaml"],
  ["rules/example_rule.yaml", "rules/example_rule.yaml"],
  ["github-workflow.yml", ".github/workflows/rulecast.yml"],
];

export function runInit(args: { readonly dir: string; readonly force: boolean }, io: Io): number {
  const root = resolve(io.cwd, args.dir);
  const existing = SCAFFOLD.filter(([, to]) => existsSync(join(root, to))).map(([, to]) => to);
  if (existing.length > 0 && !args.force) throw new UsageError(`not overwriting ${existing.join(", ")} (pass --force to replace)`);
  const files = SCAFFOLD.map(([from, to]) => ({ path: to, content: readFileSync(join(BUILTIN_TEMPLATE_DIR, "init", from), "utf8") }));
  writeOutput(root, files, [], false);
  for (const f of files) io.err(`wrote ${oneLine(join(args.dir, f.path))}\n`);
  io.err("next: rulecast check && rulecast convert\n");
  return EXIT_OK;
}
