/**
 * BundleWriter keeps of each streamed piece only its key and rule file; a run over some of the rules
 * gets the pieces back by reading the bundles it wrote (cli/partial-bundles.ts). Those must be the
 * pieces appended, each with its own rule file, and a bundle that does not read back as them is an
 * error, never a guess.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BundleWriter } from "../../src/pipeline/bundle-writer.js";
import { convertRule } from "../../src/pipeline/convert.js";
import type { Appender, OutputSink } from "../../src/pipeline/output-sink.js";
import { readRules } from "../../src/pipeline/read-rules.js";
import { loadTemplates } from "../../src/render/templates.js";
import { testContext } from "../helpers/convert-fixture.js";
import { tempTree } from "../helpers/cli.js";

const SIGMA = "../shared/corpus/sigma/rules/windows/process_creation";

/** Files in memory; `edit` changes a file's text as a later read sees it. */
function memorySink(edit: (path: string, text: string) => string = (_, t) => t): OutputSink & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    put: (f) => void files.set(f.path, typeof f.content === "string" ? f.content : ""),
    open: (): Appender => {
      const parts: string[] = [];
      return { append: (t) => void parts.push(t), close: (path) => void (path !== undefined && files.set(path, parts.join(""))) };
    },
    contentOf: (path) => edit(path, files.get(path) ?? ""),
    discard: () => files.clear(),
  };
}

function rules() {
  const sources = readdirSync(SIGMA)
    .slice(0, 40)
    .map((n) => ({ path: join(SIGMA, n), text: readFileSync(join(SIGMA, n), "utf8") }));
  return readRules(sources).rules;
}

function written(sink: OutputSink, ctx = testContext()) {
  const targets = ["splunk", "elastic"];
  const writer = new BundleWriter(targets, ctx, sink);
  const added = new Map<string, { text: string; source: string }[]>(targets.map((t) => [t, []]));
  for (const rule of rules()) {
    const r = convertRule(rule, targets, ctx);
    for (const t of targets) {
      const pieces = r.pieces[t] ?? [];
      writer.add(t, pieces, rule.source.file);
      added.get(t)!.push(...pieces.map((p) => ({ text: p.text.trimEnd(), source: rule.source.file })));
    }
  }
  writer.finish((f, t) => `${t}/${f.path}`);
  return { writer, added };
}

test("streamed pieces read back from the bundles written are the pieces appended, each with its rule file", () => {
  const { writer, added } = written(memorySink());
  for (const t of ["splunk", "elastic"]) {
    const back = writer.pieces(t);
    if ("error" in back) throw new Error(`${t}: ${back.error}`);
    assert.ok(back.length >= 20, `${t}: ${back.length} pieces`);
    assert.equal(
      back.map((p) => ({ text: p.piece.text, source: p.source })),
      added.get(t),
      t,
    );
    assert.equal(
      writer.owners(t).map((o) => o.source),
      added.get(t)!.map((a) => a.source),
    );
    assert.ok(writer.owners(t).every((o) => o.key !== undefined), `${t}: every piece has its key`);
  }
});

test("a bundle that does not read back as the pieces appended is an error", () => {
  // A stanza dropped, a line dropped: the count no longer matches the keys recorded.
  const dropLast = (path: string, text: string) =>
    path.endsWith("savedsearches.conf") ? text.slice(0, text.lastIndexOf("\n\n") + 1) : path.endsWith("rules.ndjson") ? text.split("\n").slice(1).join("\n") : text;
  const { writer } = written(memorySink(dropLast));
  for (const t of ["splunk", "elastic"]) {
    const back = writer.pieces(t);
    assert.ok("error" in back, `${t} reads back as ${"error" in back ? "" : back.length} pieces`);
  }
  // Two stanzas swapped: the count matches, the keys do not.
  const swap = (path: string, text: string) => {
    if (!path.endsWith("rules.ndjson")) return text;
    const [a, b, ...rest] = text.split("\n");
    return [b, a, ...rest].join("\n");
  };
  const swapped = written(memorySink(swap)).writer.pieces("elastic");
  assert.ok("error" in swapped && /not as the \d+ this run wrote/.test(swapped.error));
});

test("a user's bundle template: the pieces are held, and given back as they came", () => {
  const dir = tempTree({ "tpl/elastic/rules.ndjson.hbs": "{{#each lines}}\n{{{this}}}\n{{/each}}\n" });
  const ctx = { ...testContext(), templates: loadTemplates(join(dir, "tpl")) };
  const sink = memorySink(() => "");
  const { writer, added } = written(sink, ctx);
  const back = writer.pieces("elastic");
  if ("error" in back) throw new Error(back.error);
  assert.equal(
    back.map((p) => ({ text: p.piece.text, source: p.source })),
    added.get("elastic"),
  );
});

test.run();
