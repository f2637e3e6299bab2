/**
 * `rulecast attack layer PATHS.. --out layer.json`: an ATT&CK Navigator layer of the rules'
 * coverage, from the bundled ATT&CK table (no download).
 */
import { basename, dirname, resolve } from "node:path";
import { attackLayer } from "../attack/attack-layer.js";
import { attackTable } from "../attack/attack-table.js";
import { writeOutput } from "../pipeline/write-output.js";
import { EXIT_FINDINGS, EXIT_OK, printDiagnostics, type Io } from "./io.js";
import { loadRules, type LoadFlags } from "./load-inputs.js";
import type { TargetRegistry } from "../targets/target.js";

export interface AttackLayerArgs extends LoadFlags {
  readonly layerOut?: string;
  readonly name: string;
  readonly verbose: boolean;
}

export function runAttackLayer(args: AttackLayerArgs, io: Io, registry: TargetRegistry): number {
  const loaded = loadRules(args, io, registry);
  printDiagnostics(io, loaded.diagnostics, args.verbose);
  const layer = JSON.stringify(attackLayer(loaded.rules, attackTable(), { name: args.name }), null, 2) + "\n";
  if (args.layerOut) {
    const abs = resolve(io.cwd, args.layerOut);
    writeOutput(dirname(abs), [{ path: basename(abs), content: layer }]);
  } else {
    io.out(layer);
  }
  const covered = new Set(loaded.rules.flatMap((r) => r.threat.flatMap((t) => t.techniques.map((x) => x.id))));
  io.err(`${loaded.rules.length} rules, ${covered.size} techniques named\n`);
  return loaded.diagnostics.some((d) => d.severity === "error") ? EXIT_FINDINGS : EXIT_OK;
}
