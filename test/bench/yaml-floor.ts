/**
 * The floor the benchmark compares with: walk the folders named on the command line, read every
 * `.yml`/`.yaml` file and parse it with the `yaml` package, as `convert` must at least do.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ruleFiles } from "./rule-files.js";

let docs = 0;
for (const root of process.argv.slice(2)) for (const f of ruleFiles(root)) docs += parseAllDocuments(readFileSync(f, "utf8")).length;
process.stdout.write(`${docs}\n`);
