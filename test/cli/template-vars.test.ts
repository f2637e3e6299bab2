/**
 * User templates see the rule's IR, the target's name and the config's `vars` (issue: "templates
 * see the whole IR, mapped names, target and config vars").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rulecast, tempTree } from "../helpers/cli.js";

test("a template override reads rule, target and vars", () => {
  const seed = readFileSync("rules/unusual_process_network_connection.yaml", "utf8");
  const file = readFileSync("templates/sigma/file.yaml.hbs", "utf8");
  const dir = tempTree({
    "rules/a.yaml": seed,
    "rulecast.config.yaml": "vars:\n  team: blue-team\n",
    // Mapped names: after the ECS → Sigma mapping the query speaks of Image, not process.name.
    "tpl/sigma/file.yaml.hbs": `# owner: {{vars.team}}; target: {{target}}; rule: {{rule.id}}; taxonomy: {{rule.taxonomy}}\n${file}`,
  });
  const r = rulecast(["convert", "rules", "--to", "sigma", "--templates", "tpl", "--out", "out"], dir);
  assert.is(r.code, 0, r.stderr);
  const out = readFileSync(join(dir, "out/sigma/unusual_process_network_connection.yml"), "utf8");
  assert.ok(out.startsWith("# owner: blue-team; target: sigma; rule: 610949a1-312f-4e04-bb55-3a79b8c95267; taxonomy: sigma\n"), out.slice(0, 200));
});

test.run();
