/**
 * What `convert` and `check` both build from the settings, the same way: the targets `--to` names
 * and the conversion context (templates, mappings with the config's overrides, every declared
 * setting, the config's `vars`), so `check` finds what `convert` will do.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Settings } from "../config/settings.js";
import { contextFrom, type ContextSetup } from "../pipeline/conversion-setup.js";
import type { ConvertContext } from "../pipeline/convert.js";
import type { TargetRegistry } from "../targets/target.js";
import { UsageError, type Io } from "./io.js";

export function parseTargets(list: readonly string[], registry: TargetRegistry): string[] {
  const valid = registry.targets.map((t) => t.name);
  const names = list.flatMap((t) => t.split(",")).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !valid.includes(n));
  if (bad.length > 0) throw new UsageError(`unknown target ${bad.map((b) => `\`${b}\``).join(", ")}; run \`rulecast list targets\` (valid: ${valid.join(", ")})`);
  if (names.length === 0) throw new UsageError(`no target given: use --to ${valid.join(",")}`);
  return [...new Set(names)];
}

export function conversionContext(s: Settings, io: Io, registry: TargetRegistry): { targets: string[]; ctx: ConvertContext; setup: ContextSetup } {
  const targets = parseTargets(s.targets, registry);
  if (s.templates !== undefined && !existsSync(resolve(io.cwd, s.templates))) throw new UsageError(`--templates: no such folder ${s.templates}`);
  if (s.templates !== undefined && !statSync(resolve(io.cwd, s.templates)).isDirectory()) throw new UsageError(`--templates: ${s.templates} is not a folder`);
  const setup: ContextSetup = {
    ...(s.templates ? { templatesDir: resolve(io.cwd, s.templates) } : {}),
    maxTemplateBytes: s.maxConfigSize,
    mappings: s.mappings,
    options: s.options,
    vars: s.vars,
  };
  return { targets, ctx: contextFrom(setup, registry), setup };
}
