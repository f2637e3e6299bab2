/**
 * A config file that cannot be used (an alias bomb, a document that is not a mapping, data nested
 * thousands deep, a half surrogate pair) is one line naming the file, with exit 2: never an
 * `internal error`, never a stack trace, whichever command reads it. (Folders, devices and files
 * over the bound are in input-bounds.test.ts.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../../src/config/config-file.js";
import { BUILTIN_CONFIG } from "../helpers/declarations.js";
import { rulecast, SIGMA_RULE, tempTree } from "../helpers/cli.js";

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function bomb(indent: string): string {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)];
  return levels.map((l) => indent + l).join("\n");
}

const BOMBS: readonly [string, string][] = [
  ["under vars", `vars:\n${bomb("  ")}\n`],
  ["under placeholders", `placeholders:\n${bomb("  ")}\n`],
  ["under a mapping", `mappings:\n  sigma-splunk:\n${bomb("    ")}\n`],
  ["at the top", `${bomb("")}\n`],
  ["an alias used by a known key", `vars:\n${bomb("  ")}\ntargets: *i\n`],
];

const NOT_A_MAPPING: readonly [string, string][] = [
  ["a list", "- sigma\n- splunk\n"],
  ["a string", "just some text\n"],
  ["a number", "42\n"],
  ["a flow list", "[a, b]\n"],
  ["a tagged scalar", "!!str x\n"],
  ["two documents", "targets: [sigma]\n---\ntargets: [splunk]\n"],
];

test("alias bombs anywhere in the config: config/too-many-aliases at the first alias, nothing expanded", () => {
  for (const [what, text] of BOMBS) {
    const r = parseConfig("c.yaml", text, BUILTIN_CONFIG);
    assert.ok("error" in r, what);
    if ("error" in r) {
      assert.is(r.error.code, "config/too-many-aliases", what);
      const firstAlias = text.slice(0, text.indexOf("*")).split("\n");
      assert.equal([r.error.line, r.error.col], [firstAlias.length, firstAlias[firstAlias.length - 1]!.length + 1], what);
    }
  }
});

test("a config that is not one mapping: config/invalid or a YAML error, at its position", () => {
  for (const [what, text] of NOT_A_MAPPING) {
    const r = parseConfig("c.yaml", text, BUILTIN_CONFIG);
    assert.ok("error" in r, what);
    if ("error" in r) assert.match(`${r.error.code} ${r.error.message}`, /^config\/invalid \(top\): must be a mapping$|^config\/yaml-syntax Source contains multiple documents/, what);
  }
  for (const empty of ["", "\n", "# only a comment\n", "---\n"]) assert.ok("config" in parseConfig("c.yaml", empty, BUILTIN_CONFIG), JSON.stringify(empty));
});

test("config data nested thousands deep: config/nesting-too-deep, no stack overflow", () => {
  for (const n of [150, 20_000]) {
    for (const text of [`vars:\n  x: ${"[".repeat(n)}${"]".repeat(n)}\n`, `vars:\n  x: ${"{a: ".repeat(n)}1${"}".repeat(n)}\n`]) {
      const r = parseConfig("c.yaml", text, BUILTIN_CONFIG);
      assert.ok("error" in r && r.error.code === "config/nesting-too-deep" && r.error.line === 2, `${n}: ${JSON.stringify(r).slice(0, 300)}`);
    }
  }
});

test("through every command that reads a config: one line naming the file, exit 2", () => {
  const cases: [string, string, RegExp][] = [
    ["bomb", BOMBS[0]![1], /^rulecast: rulecast\.config\.yaml:3:10: error config\/too-many-aliases: YAML aliases expand too far/],
    ["list", NOT_A_MAPPING[0]![1], /^rulecast: rulecast\.config\.yaml:1:1: error config\/invalid: \(top\): must be a mapping$/m],
    ["deep", `vars: ${"[".repeat(5000)}${"]".repeat(5000)}\n`, /^rulecast: rulecast\.config\.yaml:1:\d+: error config\/nesting-too-deep/],
    ["half pair", 'vars: {a: "\\udc00"}\n', /^rulecast: rulecast\.config\.yaml:1:12: error input\/unpaired-surrogate/],
  ];
  for (const [what, config, want] of cases) {
    const dir = tempTree({ "rulecast.config.yaml": config, "rules/a.yml": SIGMA_RULE });
    for (const args of [["convert", "rules"], ["check", "rules"], ["attack", "layer", "rules"], ["list", "fields", "--mapping", "sigma-splunk"]]) {
      const r = rulecast(args, dir);
      assert.is(r.code, 2, `${what} ${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, want, `${what} ${args[0]}`);
      assert.is(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.not.match(r.stderr, /internal error/);
    }
  }
});

test.run();
