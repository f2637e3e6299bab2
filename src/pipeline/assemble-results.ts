/**
 * What needs every rule before it, taken one rule at a time in input order, so a run can write a
 * rule's files as soon as they are decided and keep no rule once it is: a duplicate id (Kibana
 * refuses an import with two rules of one rule_id), a name a bundle holds once (savedsearches.conf
 * stanzas), two files of one name (the later one gets the rule's id appended). Each decision is
 * about the later rule, so none waits for the end. What it keeps grows by a few names per rule.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { detached } from "../ir/detached.js";
import type { BundlePiece, RenderedFile } from "../targets/target.js";
import type { OutputFile, RuleOutcome, RuleRef, RuleResult } from "./convert.js";

/** One rule as the run keeps it: its outcome, its files (final names) and bundle pieces per target. */
export interface AcceptedRule {
  readonly outcome: RuleOutcome;
  readonly files: OutputFile[];
  /** Per target, in target order; only targets the rule is in. */
  readonly pieces: ReadonlyMap<string, readonly BundlePiece[]>;
  /** The rule's own diagnostics, then the ones this step added about it. */
  readonly diagnostics: Diagnostic[];
}

export class ResultAssembler {
  private readonly seenIds = new Map<string, RuleRef>();
  private readonly seenNames = new Map<string, RuleRef>();
  private readonly seenPaths = new Set<string>();
  /** Renamed files are reported after every rule's own diagnostics, as they always were. */
  readonly renames: Diagnostic[] = [];

  constructor(private readonly targets: readonly string[]) {}

  add(r: RuleResult): AcceptedRule {
    const targets = this.targets;
    const ref = r.outcome.rule;
    const dup = this.seenIds.get(ref.id);
    if (dup && !r.outcome.skipped) {
      return {
        outcome: { rule: ref, converted: [], failed: [...targets], skippedFor: [], skipped: false },
        files: [],
        pieces: new Map(),
        diagnostics: [
          {
            severity: "error",
            code: "rule/duplicate-id",
            message: `rule id ${ref.id} is also used by ${dup.source.file}`,
            file: ref.source.file,
            line: ref.source.line,
            col: 1,
            ruleId: ref.id,
            hint: "every rule needs its own id: Kibana refuses an import with two rules of one rule_id",
          },
        ],
      };
    }
    if (!r.outcome.skipped) this.seenIds.set(detached(ref.id), detached(ref));
    const diagnostics: Diagnostic[] = [];
    const taken = new Set<string>();
    for (const t of targets) {
      for (const p of r.pieces[t] ?? []) {
        const first = p.name === undefined ? undefined : this.seenNames.get(nameKey(t, p.name));
        if (!first) continue;
        taken.add(t);
        diagnostics.push({
          severity: "error",
          code: "output/name-collision",
          message: `${t}: ${first.source.file}:${(first.source.keys?.name ?? first.source).line} already has the ${t} name ${JSON.stringify(p.name)}; two of them would be merged into one, losing a rule`,
          file: ref.source.file,
          // At the rule's name (`title:`, `name:`), which the hint asks to change.
          ...(ref.source.keys?.name ?? { line: ref.source.line, col: 1 }),
          ruleId: ref.id,
          hint: "give one of the rules another title",
        });
      }
    }
    const outcome = taken.size === 0 ? r.outcome : failedFor(r.outcome, taken);
    const files = r.files.filter((f) => !taken.has(f.target)).map((f) => this.uniquePath(f));
    const pieces = new Map<string, readonly BundlePiece[]>();
    for (const t of targets) {
      if (taken.has(t)) continue;
      const ps = r.pieces[t];
      if (!ps) continue;
      pieces.set(t, ps);
      for (const p of ps) if (p.name !== undefined) this.seenNames.set(detached(nameKey(t, p.name)), detached(ref));
    }
    // Collisions first: they were always listed before the rule's own diagnostics.
    return { outcome, files, pieces, diagnostics: [...diagnostics, ...r.diagnostics] };
  }

  /** A bundle file, named after every rule's files (a rule's file of the same name renames it). */
  bundleFile(f: RenderedFile, target: string): OutputFile {
    return this.uniquePath(withTarget(f, target));
  }

  /** Two rules whose names slug alike must not overwrite each other: the second gets a number appended. */
  private uniquePath(f: OutputFile): OutputFile {
    const seen = this.seenPaths;
    const key = `${f.target}/${f.path}`.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return f;
    }
    const dot = f.path.lastIndexOf(".");
    let n = 2;
    let path = `${f.path.slice(0, dot)}_${n}${f.path.slice(dot)}`;
    while (seen.has(`${f.target}/${path}`.toLowerCase())) path = `${f.path.slice(0, dot)}_${++n}${f.path.slice(dot)}`;
    seen.add(`${f.target}/${path}`.toLowerCase());
    this.renames.push({ severity: "warning", code: "output/name-collision", message: `${f.target}/${f.path} was already written by another rule; this one is ${path}` });
    return withPath(f, path);
  }
}

const nameKey = (t: string, name: string) => `${t}\n${name}`;

/** The outcome with `targets` moved from converted to failed. */
function failedFor(o: RuleOutcome, targets: ReadonlySet<string>): RuleOutcome {
  return { ...o, converted: o.converted.filter((t) => !targets.has(t)), failed: [...o.failed, ...targets] };
}

/** The file under another name; a `document` made on first read (a getter) stays unmade until read. */
function withPath(f: OutputFile, path: string): OutputFile {
  const doc = Object.getOwnPropertyDescriptor(f, "document");
  if (!doc?.get) return { ...f, path };
  const out = { ...f, path };
  delete (out as { document?: unknown }).document;
  Object.defineProperty(out, "document", doc);
  return out;
}

/** The file tagged with its target and rule; a `document` made on first read (a getter) stays unmade until read. */
export function withTarget(f: RenderedFile, target: string, rule?: RuleRef): OutputFile {
  const tags = { target, ...(rule ? { rule } : {}) };
  const doc = Object.getOwnPropertyDescriptor(f, "document");
  if (!doc?.get) return { ...f, ...tags };
  const out = { path: f.path, content: f.content };
  Object.defineProperty(out, "document", doc);
  return Object.assign(out, tags);
}

/** The same problem reported for several targets is shown once per target only. */
export function dedupeDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}:${d.ruleId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
