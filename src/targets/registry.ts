/**
 * The built-in targets: the one file that lists them. The CLI takes a registry as a parameter
 * (this one by default), so a test can add a target of its own; see docs/adding-a-target.md.
 */
import { elasticTarget } from "./elastic/index.js";
import { nativeTarget } from "./native/index.js";
import { sigmaTarget } from "./sigma/index.js";
import { splunkTarget } from "./splunk/index.js";
import type { TargetRegistry } from "./target.js";

export const BUILTIN_TARGETS = {
  targets: [sigmaTarget, splunkTarget, elasticTarget],
  ruleFiles: nativeTarget,
} as const satisfies TargetRegistry;

/** The built-in targets' names, for tables typed per target (`Record<BuiltinTargetName, …>`). */
export type BuiltinTargetName = (typeof BUILTIN_TARGETS.targets)[number]["name"];
