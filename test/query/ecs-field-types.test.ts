import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ecsFieldType } from "../../src/query/ecs-field-types.js";

test("data/ecs-field-types.json is what scripts/build-ecs-field-types.mjs makes from the installed @elastic/ecs", () => {
  const require = createRequire(import.meta.url);
  const { EcsFlat } = require("@elastic/ecs/build/commonjs/ecs_flat.js") as { EcsFlat: Record<string, { type: string; multi_fields?: { flat_name: string; type: string }[] }> };
  const expected: Record<string, string> = {};
  for (const [name, f] of Object.entries(EcsFlat)) {
    expected[name] = f.type;
    for (const m of f.multi_fields ?? []) expected[m.flat_name] = m.type;
  }
  const data = JSON.parse(readFileSync("data/ecs-field-types.json", "utf8")) as { types: Record<string, string> };
  assert.equal(data.types, expected);
});

test("ecsFieldType: the types that change what a KQL wildcard means", () => {
  assert.is(ecsFieldType("process.name"), "keyword");
  assert.is(ecsFieldType("process.command_line"), "wildcard");
  assert.is(ecsFieldType("process.command_line.text"), "match_only_text");
  assert.is(ecsFieldType("url.original"), "wildcard");
  assert.is(ecsFieldType("destination.port"), "long");
  assert.is(ecsFieldType("winlog.event_data.CommandLine"), undefined);
  assert.is(ecsFieldType("constructor"), undefined);
});

test.run();
