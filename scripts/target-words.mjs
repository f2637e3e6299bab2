// Which source files name a target outside that target's own folders, counting code only
// (comments are stripped by printing each file through the TypeScript printer; strings, such as
// messages, count). `node scripts/target-words.mjs` lists the files per word and exits 1 when a
// count is above its limit (docs/adding-a-target.md says why the limits are what they are).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const WORDS = [
  { word: /splunk/i, label: "splunk", own: ["src/targets/splunk/", "src/query/spl/"], limit: 2 },
  { word: /elastic|kibana/i, label: "elastic|kibana", own: ["src/sources/elastic/", "src/targets/elastic/"], limit: 5 },
];

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name).split("\\").join("/")] : []));

const printer = ts.createPrinter({ removeComments: true });
const code = (file) => printer.printFile(ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));

const files = walk("src").map((f) => ({ f, text: code(f) }));
let over = false;
for (const w of WORDS) {
  const hits = files.filter(({ f, text }) => !w.own.some((o) => f.startsWith(o)) && w.word.test(text)).map(({ f }) => f);
  console.log(`${w.label}: ${hits.length} file(s) outside ${w.own.join(", ")} (limit ${w.limit})`);
  for (const f of hits) console.log(`  ${f}`);
  if (hits.length > w.limit) over = true;
}
process.exit(over ? 1 : 0);
