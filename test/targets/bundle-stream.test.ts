/**
 * A target's bundle appended piece by piece (TargetSpec.streamBundle, what `convert` writes) is
 * byte for byte the bundle `renderBundle` makes of the same pieces through the templates, for
 * real rules and for pieces that repeat a filter macro; a user's bundle template is never streamed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { convertRule } from "../../src/pipeline/convert.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { loadTemplates } from "../../src/render/templates.js";
import { BUILTIN_TARGETS } from "../../src/targets/registry.js";
import type { BundlePiece, RenderContext, TargetSpec } from "../../src/targets/target.js";
import { testContext } from "../helpers/convert-fixture.js";
import { tempTree } from "../helpers/cli.js";

const SIGMA = "../shared/corpus/sigma/rules/windows/process_creation";

function streamed(target: TargetSpec, pieces: readonly BundlePiece[], ctx: RenderContext): { path: string; content: string }[] {
  const files = target.streamBundle?.(ctx);
  assert.ok(files, `${target.name} streams its bundle with the built-in templates`);
  return files.map((f) => ({ path: f.path, content: f.head + pieces.map((p) => f.piece(p)).join("") }));
}

test("streamed bundles equal rendered ones: SigmaHQ process_creation and the project's rules, each target", () => {
  const ctx = testContext();
  const sources = readdirSync(SIGMA)
    .slice(0, 80)
    .map((n) => ({ path: join(SIGMA, n), text: readFileSync(join(SIGMA, n), "utf8") }));
  const rules = [...readRules(sources).rules, ...readRules(readdirSync("rules").map((n) => ({ path: join("rules", n), text: readFileSync(join("rules", n), "utf8") }))).rules];
  let compared = 0;
  for (const target of BUILTIN_TARGETS.targets) {
    const pieces = rules.flatMap((r) => convertRule(r, [target.name], ctx).pieces[target.name] ?? []);
    if (pieces.length === 0) continue;
    const rendered = target.renderBundle(pieces, ctx).map((f) => ({ path: f.path, content: f.content }));
    assert.equal(streamed(target, pieces, ctx), rendered, target.name);
    // One piece: the smallest bundle.
    assert.equal(streamed(target, pieces.slice(0, 1), ctx), target.renderBundle(pieces.slice(0, 1), ctx).map((f) => ({ path: f.path, content: f.content })), target.name);
    compared++;
  }
  assert.ok(compared >= 2, "Splunk and Elastic have bundles");
});

test("a filter macro two stanzas end in is written once, as renderBundle writes it", () => {
  const ctx = testContext();
  const splunk = BUILTIN_TARGETS.targets.find((t) => t.name === "splunk")!;
  const stanza = (name: string, macro: string) => ({ text: `[${name}]\nsearch = x\\\n| \`${macro}\`\n`, name });
  const pieces = [stanza("A", "a_filter"), stanza("B", "b_filter"), stanza("C", "a_filter")];
  assert.equal(streamed(splunk, pieces, ctx), splunk.renderBundle(pieces, ctx).map((f) => ({ path: f.path, content: f.content })));
});

test("with a user's bundle template the bundle is not streamed (it is read back whole)", () => {
  const dir = tempTree({ "tpl/elastic/rules.ndjson.hbs": "{{#each lines}}\n{{{this}}}\n{{/each}}\n", "tpl/splunk/macros.conf.hbs": "{{#each macros}}\n[{{confStanza this}}]\n{{/each}}\n" });
  const ctx = { ...testContext(), templates: loadTemplates(join(dir, "tpl")) };
  for (const name of ["elastic", "splunk"]) assert.is(BUILTIN_TARGETS.targets.find((t) => t.name === name)!.streamBundle?.(ctx), undefined, name);
});

test.run();
