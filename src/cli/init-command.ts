/**
 * `rulecast init [DIR] [--source SPEC]`: a rules repository to start from: rulecast.config.yaml,
 * one example rule and, when rulecast's install source is known, a package.json that names
 * rulecast as a devDependency and a GitHub Actions workflow that installs it from there, checks
 * the rules and the committed out/. Existing files are never overwritten without --force.
 *
 * The workflow installs what package.json names (`npm install`), never a bare package name: the
 * npm registry does not serve rulecast, so `npm install rulecast` fails or installs someone else's
 * package. Without `--source` (an npm install spec: git URL, tarball URL, registry name) and
 * without a `repository` in rulecast's own package.json, no workflow is written, and a line says
 * how to get one, rather than a workflow that cannot run.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";
import { oneLine } from "../diagnostics/display-text.js";
import { BUILTIN_TEMPLATE_DIR } from "../render/templates.js";
import { writeOutput } from "../pipeline/write-output.js";
import { EXIT_OK, UsageError, type Io } from "./io.js";

/** Where each scaffold file goes, from its name under templates/init/. */
const SCAFFOLD: readonly (readonly [string, string])[] = [
  ["rulecast.config.yaml", "rulecast.config.yaml"],
  ["rules/example_rule.yaml", "rules/example_rule.yaml"],
];
const WORKFLOW: readonly [string, string] = ["github-workflow.yml", ".github/workflows/rulecast.yml"];

export interface InitArgs {
  readonly dir: string;
  readonly force: boolean;
  /** npm install spec for rulecast in CI (git URL, tarball URL, registry name, file: path). */
  readonly source?: string;
}

export function runInit(args: InitArgs, io: Io): number {
  const root = resolve(io.cwd, args.dir);
  const source = args.source ?? ownRepository();
  if (args.source !== undefined && !/^\S+$/.test(args.source)) throw new UsageError("--source: an npm install spec has no spaces or control characters");
  const planned = source ? [...SCAFFOLD, WORKFLOW] : SCAFFOLD;
  const existing = planned.filter(([, to]) => existsSync(join(root, to))).map(([, to]) => to);
  if (existing.length > 0 && !args.force) throw new UsageError(`not overwriting ${existing.join(", ")} (pass --force to replace)`);
  const files = planned.map(([from, to]) => ({ path: to, content: readFileSync(join(BUILTIN_TEMPLATE_DIR, "init", from), "utf8") }));
  if (source) files.push({ path: "package.json", content: packageJson(join(root, "package.json"), source, args.force) });
  writeOutput(root, files);
  for (const f of files) io.err(`wrote ${oneLine(join(args.dir, f.path))}\n`);
  if (!source) {
    io.err("no CI workflow written: rulecast is not on the npm registry, so CI must install it from where you got it; rerun with --source SPEC (a git URL such as git+https://host/org/rulecast.git, or a tarball URL)\n");
  }
  io.err(source ? "next: npm install && npx rulecast check && npx rulecast convert\n" : "next: rulecast check && rulecast convert\n");
  return EXIT_OK;
}

/** rulecast's own `repository` from its package.json, as an npm install spec. */
function ownRepository(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { repository?: string | { url?: string } };
    const url = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
    return url && /^\S+$/.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rules repository's package.json with rulecast as a devDependency: a new one, or the
 * existing one with the entry added. An existing entry that names another source is kept unless
 * --force, so init never silently repoints a repository's install.
 */
function packageJson(path: string, source: string, force: boolean): string {
  if (!existsSync(path)) {
    return `${JSON.stringify({ name: "detection-rules", private: true, scripts: { check: "rulecast check", convert: "rulecast convert" }, devDependencies: { rulecast: source } }, null, 2)}\n`;
  }
  let pkg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    pkg = parsed as Record<string, unknown>;
  } catch {
    throw new UsageError(`package.json exists but is not a JSON object; add "rulecast": "${source}" to its devDependencies by hand`);
  }
  const dev = (pkg["devDependencies"] ?? {}) as Record<string, unknown>;
  if (dev["rulecast"] !== undefined && dev["rulecast"] !== source && !force) {
    throw new UsageError(`package.json already installs rulecast from ${JSON.stringify(dev["rulecast"])} (pass --force to use ${source})`);
  }
  return `${JSON.stringify({ ...pkg, devDependencies: { ...dev, rulecast: source } }, null, 2)}\n`;
}
