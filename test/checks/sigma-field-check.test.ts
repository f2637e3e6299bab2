/**
 * Sigma field names are checked against what SigmaHQ's rules and the mappings use per log source:
 * a typo is a warning at the field, with a did-you-mean; SigmaHQ's own rules raise none; a log
 * source with no evidence is not judged.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkSigmaFields, loadSigmaFieldEvidence } from "../../src/checks/sigma-field-check.js";
import { loadMappings } from "../../src/mapping/mappings.js";
import { readRules } from "../../src/pipeline/read-rules.js";

const evidence = loadSigmaFieldEvidence(loadMappings().sigmaToEcs);
const sigma = (logsource: string, selection: string) => `title: T
id: 0a1b2c3d-1111-4222-8333-444455556666
logsource: ${logsource}
detection:
  sel:
${selection}
  condition: sel
level: high
`;
const check = (text: string) => {
  const read = readRules([{ path: "r.yml", text }]);
  assert.equal(read.diagnostics.filter((d) => d.severity === "error"), []);
  return read.rules.flatMap((r) => checkSigmaFields(r, evidence));
};

test("a typo is a warning at the field's line and column, with the field it was meant to be", () => {
  const ds = check(sigma("{ product: windows, category: process_creation }", "    CommandLine|contains: x\n    Imagee|endswith: '\\\\whoami.exe'"));
  assert.is(ds.length, 1);
  assert.is(ds[0]!.code, "sigma/unknown-field");
  assert.is(ds[0]!.severity, "warning");
  assert.equal([ds[0]!.line, ds[0]!.col], [7, 5]);
  assert.match(ds[0]!.message, /`Imagee` is not a field .* under product: windows, category: process_creation; did you mean `Image`\?/);
});

test("known fields, mapping-only fields and unjudged log sources raise nothing; a far-off name has no suggestion", () => {
  assert.equal(check(sigma("{ product: windows, category: process_creation }", "    Image|endswith: x\n    ParentImage: y")), []);
  assert.equal(check(sigma("{ product: windows, category: image_load }", "    ImageLoaded|endswith: x")), []);
  assert.equal(check(sigma("{ product: acme, service: widgets }", "    Anything: x")), []);
  const far = check(sigma("{ product: windows, category: process_creation }", "    TotallyDifferentThing: x"));
  assert.is(far.length, 1);
  assert.not.match(far[0]!.message, /did you mean/);
});

test("SigmaHQ's own rules raise no unknown-field warning", () => {
  const files: { path: string; text: string }[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n)) files.push({ path: p, text: readFileSync(p, "utf8") });
    }
  };
  walk("../shared/corpus/sigma/rules");
  const read = readRules(files);
  assert.ok(read.rules.length > 3000);
  const found = read.rules.flatMap((r) => checkSigmaFields(r, evidence)).map((d) => `${d.file}: ${d.message}`);
  assert.equal(found, []);
});

test.run();
