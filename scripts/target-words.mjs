// Which source files name a target outside that target's own folders, counting code only
// (comments are stripped by printing each file through the TypeScript printer; strings, such as
// messages, count). `node scripts/target-words.mjs` lists the files per word; `--no-text` also
// drops string literals other than import paths, so what is left is what code depends on
// (imports, identifiers), not what it says or writes, and exits 1 when a count is above its limit.
// Messages may name a platform where the fact is the platform's ("as in Elastic"): only code
// dependencies are limited.
// docs/adding-a-target.md gives the figures and why each file is on the list.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const WORDS = [
  { word: /splunk/i, label: "splunk", own: ["src/targets/splunk/", "src/query/spl/"], limit: 2 },
  { word: /elastic|kibana/i, label: "elastic|kibana", own: ["src/sources/elastic/", "src/targets/elastic/"], limit: 5 },
];
const noText = process.argv.includes("--no-text");

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name).split("\\").join("/")] : []));

const printer = ts.createPrinter({ removeComments: true });

/** String and template literals become empty, except module specifiers (import/export paths). */
const dropText = (context) => (root) => {
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) return node;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return ts.factory.createStringLiteral("");
    if (ts.isTemplateExpression(node)) return ts.factory.createArrayLiteralExpression(node.templateSpans.map((s) => ts.visitNode(s.expression, visit)));
    return ts.visitEachChild(node, visit, context);
  };
  return ts.visitNode(root, visit);
};

const code = (file) => {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const tree = noText ? ts.transform(source, [dropText]).transformed[0] : source;
  return printer.printFile(tree);
};

const files = walk("src").map((f) => ({ f, text: code(f) }));
let over = false;
for (const w of WORDS) {
  const hits = files.filter(({ f, text }) => !w.own.some((o) => f.startsWith(o)) && w.word.test(text)).map(({ f }) => f);
  console.log(`${w.label}${noText ? ` (no text, limit ${w.limit})` : ""}: ${hits.length} file(s) outside ${w.own.join(", ")}`);
  for (const f of hits) console.log(`  ${f}`);
  if (noText && hits.length > w.limit) over = true;
}
process.exit(over ? 1 : 0);
