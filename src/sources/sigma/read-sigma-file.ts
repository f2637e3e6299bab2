/**
 * Reads one Sigma YAML file (one or more documents) into IR rules. Each document gets its own
 * diagnostics; a document with an error yields no rule and never stops the others. Correlation
 * documents are read after every rule document, so they may name rules defined later in the file.
 */
import { isMap, isScalar, parseAllDocuments, type Document, type Node, type YAMLMap } from "yaml";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { lineColAt, lineStarts } from "../../diagnostics/source-text.js";
import { coveringSchedule } from "../../ir/match-window.js";
import type { Rule } from "../../ir/rule.js";
import { idControlChar } from "../../ir/ids.js";
import { type DocContext, type FileText, hasDocErrors, report } from "./read-context.js";
import { readCorrelation, readGenerate } from "./sigma-correlation.js";
import { readDetection } from "./sigma-detection.js";
import { readSigmaFilter, type SigmaFilter } from "./sigma-filter.js";
import { findPair, readMeta } from "./sigma-meta.js";
import { isYamlStackOverflow, moreYamlErrorsMessage, NESTING_MESSAGE, SHOWN_YAML_ERRORS, yamlTooDeepAt } from "../data-nesting.js";
import { unpairedSurrogateDiagnostic, yamlUnpairedSurrogateAt } from "../unpaired-surrogates.js";

export interface SigmaReadOptions {
  /** Values for `%name%` placeholders of the `expand` modifier. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
  /** Rules from other files that correlations may name, keyed by id and by name. */
  readonly knownRules?: ReadonlyMap<string, Rule>;
}

export interface SigmaReadResult {
  readonly rules: Rule[];
  readonly diagnostics: Diagnostic[];
  /** Filter documents, applied to the rules they name once every file is read. */
  readonly filters?: SigmaFilter[];
}

/** `readSigmaFile("rules/x.yml", text)` → the file's rules and every diagnostic, in file order. */
export function readSigmaFile(path: string, text: string, opts: SigmaReadOptions = {}): SigmaReadResult {
  const src: FileText = { file: path, text, starts: lineStarts(text) };
  // prettyErrors off: it locates each error by rescanning the text (quadratic on thousands of errors);
  // positions come from our own line table.
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const results: (Rule | undefined)[] = [];
  const diagnostics: Diagnostic[][] = [];
  const correlations: { index: number; ctx: DocContext; map: YAMLMap; line: number }[] = [];
  const filters: SigmaFilter[] = [];

  list.forEach((doc, index) => {
    const ctx: DocContext = { src, diagnostics: [] };
    diagnostics.push(ctx.diagnostics);
    results.push(undefined);
    if (!yamlOk(ctx, doc)) return;
    const contents = doc.contents as Node | null;
    if (contents === null || contents === undefined) return; // an empty document (trailing `---`)
    const at = contents.range?.[0] ?? 0;
    const line = lineColAt(text, at, src.starts).line;
    if (!isMap(contents)) {
      report(ctx, "error", "sigma/not-a-mapping", "a Sigma document must be a mapping", at, "start with `title:`");
      return;
    }
    if (findPair(contents, "correlation")) correlations.push({ index, ctx, map: contents, line });
    else if (findPair(contents, "filter") && !findPair(contents, "detection")) {
      const f = readSigmaFilter(ctx, contents, line, opts.placeholders ? { placeholders: opts.placeholders } : {});
      if (f && !hasDocErrors(ctx)) filters.push(f);
    } else results[index] = readRuleDocument(ctx, contents, line, opts);
  });

  const local = new Map<string, Rule>();
  const remember = (r: Rule): void => {
    local.set(r.id, r);
    if (typeof r.custom["name"] === "string") local.set(r.custom["name"], r);
  };
  results.forEach((r) => r && remember(r));
  const notGenerated = new Set<string>();
  for (const c of correlations) {
    const meta = readMeta(c.ctx, c.map, "correlation", c.line);
    const body = findPair(c.map, "correlation")?.value as Node;
    const read = readCorrelation(c.ctx, body, (ref) => local.get(ref) ?? opts.knownRules?.get(ref));
    if (!meta || !read || hasDocErrors(c.ctx)) continue;
    // Sigma has no schedule: the default look-back is widened to cover the correlation's timespan.
    const rule: Rule = { ...meta, schedule: coveringSchedule(meta.schedule, read.query), queryText: sourceOf(text, body), query: read.query };
    results[c.index] = rule;
    remember(rule);
    if (!readGenerate(c.map)) for (const r of read.referenced) notGenerated.add(r.id);
  }

  // Base rules stay in the output; `sigma.generate: false` tells targets they only feed a correlation.
  const rules = results.flatMap((r) =>
    !r ? [] : notGenerated.has(r.id) ? [{ ...r, custom: { ...r.custom, "sigma.generate": false } }] : [r],
  );
  return { rules, diagnostics: diagnostics.flat(), ...(filters.length > 0 ? { filters } : {}) };
}

function readRuleDocument(ctx: DocContext, map: YAMLMap, line: number, opts: SigmaReadOptions): Rule | undefined {
  const meta = readMeta(ctx, map, "detection", line);
  const detPair = findPair(map, "detection");
  if (!detPair || !detPair.value) {
    report(ctx, "error", "sigma/missing-detection", "the rule has no `detection`", map.range?.[0] ?? 0, "add a detection block with selections and a condition");
    return undefined;
  }
  const det = detPair.value as Node;
  const query = readDetection(ctx, det, opts.placeholders ? { placeholders: opts.placeholders } : {});
  if (!meta || !query || hasDocErrors(ctx)) return undefined;
  // Spans in the query are offsets from the detection block, so problems found later can point into it.
  const at = lineColAt(ctx.src.text, det.range?.[0] ?? 0, ctx.src.starts);
  return { ...meta, source: { ...meta.source, queryLine: at.line, queryCol: at.col, queryVerbatim: true }, queryText: sourceOf(ctx.src.text, det), query };
}

/** The block's text as written; spans in the query are offsets into it. */
function sourceOf(text: string, node: Node): string {
  const r = node.range;
  return r ? text.slice(r[0], r[1]).trimEnd() : "";
}

function yamlOk(ctx: DocContext, doc: Document.Parsed): boolean {
  // A broken document may still show its id; diagnostics name it when they can.
  const idNode = isMap(doc.contents) ? findPair(doc.contents, "id")?.value : undefined;
  if (isScalar(idNode) && typeof idNode.value === "string" && !idControlChar(idNode.value)) ctx.ruleId = idNode.value;
  let shown = 0;
  for (const e of doc.errors) {
    if (isYamlStackOverflow(e.message)) {
      report(ctx, "error", "sigma/nesting-too-deep", NESTING_MESSAGE, e.pos[0], "flatten the data");
      return false; // the library reports the overflow once per enclosing level
    }
    if (shown === SHOWN_YAML_ERRORS) continue; // counted in one line below
    shown++;
    const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    const dup = e.code === "DUPLICATE_KEY";
    report(ctx, "error", dup ? "sigma/duplicate-key" : "sigma/yaml-syntax", message, e.pos[0], dup ? "each key may appear once per mapping" : "fix the YAML syntax");
  }
  const more = doc.errors.length - shown;
  if (more > 0) report(ctx, "error", "sigma/yaml-syntax", moreYamlErrorsMessage(more), doc.errors[shown]!.pos[0], "fix the first errors: the later ones often follow from them");
  if (doc.errors.length > 0) return false;
  const tooDeep = yamlTooDeepAt(doc);
  if (tooDeep !== undefined) report(ctx, "error", "sigma/nesting-too-deep", NESTING_MESSAGE, tooDeep, "flatten the data");
  const unpaired = tooDeep === undefined ? yamlUnpairedSurrogateAt(doc, ctx.src.text) : undefined;
  if (unpaired !== undefined) ctx.diagnostics.push(unpairedSurrogateDiagnostic(ctx.src.file, lineColAt(ctx.src.text, unpaired, ctx.src.starts), ctx.ruleId));
  return tooDeep === undefined && unpaired === undefined;
}
