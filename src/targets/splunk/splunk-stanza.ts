/**
 * A rule's savedsearches.conf stanza, and the file of all of them. Every value goes through the
 * conf writer (render/escape.ts) from the templates; what it cannot write exactly is refused here
 * first, with a diagnostic that says which value; and each stanza, and the whole file, is read
 * back (render/conf-reader.ts) before it is kept: exactly one stanza of the intended name, the
 * search intact, whatever a user's template does.
 */
import type { Rule } from "../../ir/rule.js";
import { readConf } from "../../render/conf-reader.js";
import { confComment, confStanzaProblem, confValueProblem } from "../../render/escape.js";
import { trimEndWhere } from "../../render/trim-end.js";
import { TemplateError } from "../../render/templates.js";
import { templateView, type BundleFileStream, type BundlePiece, type BundleReader, type RenderContext, type RenderedFile } from "../target.js";
import type { RiskAction } from "./splunk-risk.js";
import { ALERT_SEVERITY, type SplunkSchedule } from "./splunk-schedule.js";
import { oneLineName } from "./splunk-names.js";

interface Report {
  error(code: string, message: string, hint?: string): void;
  warn(code: string, message: string): void;
}

const BUNDLE_TEMPLATE = "splunk/savedsearches.conf.hbs";

/**
 * The stanzas in one file. Each stanza was read back on its own, and the built-in template puts a
 * blank line between them; a user's template must read back as exactly those stanzas, in order.
 */
export function renderSavedSearches(pieces: readonly BundlePiece[], ctx: RenderContext): RenderedFile[] {
  const content = ctx.templates.render(BUNDLE_TEMPLATE, templateView({ stanzas: pieces.map((p) => p.text.trimEnd()) }, undefined, "splunk", ctx));
  if (ctx.templates.isOverridden(BUNDLE_TEMPLATE)) {
    const read = readConf(content);
    const problem = read.problems[0];
    if (problem) throw new TemplateError(ctx.templates.source(BUNDLE_TEMPLATE), undefined, `line ${problem.line} of the output does not read back as a .conf file: ${problem.message}`);
    const names = read.stanzas.map((s) => s.name);
    const intended = pieces.map((p) => p.name);
    if (names.join("\n") !== intended.join("\n")) {
      throw new TemplateError(ctx.templates.source(BUNDLE_TEMPLATE), undefined, `the output reads back as ${names.length} stanzas, not the ${intended.length} written`);
    }
  }
  return [{ path: "savedsearches.conf", content, document: pieces.map((p) => p.document) }];
}

/** savedsearches.conf a stanza at a time (TargetSpec.streamBundle); undefined with a user's template, which is read back whole. */
export function savedSearchesStream(ctx: RenderContext): BundleFileStream | undefined {
  if (ctx.templates.isOverridden(BUNDLE_TEMPLATE)) return undefined;
  const head = ctx.templates.render(BUNDLE_TEMPLATE, templateView({ stanzas: [] }, undefined, "splunk", ctx));
  return { path: "savedsearches.conf", head, piece: (p) => `\n${p.text.trimEnd()}\n` };
}

/**
 * The stanzas of the savedsearches.conf written earlier, for a run that converts some of the rules
 * (TargetSpec.readBundle). Only the built-in layout is read: its header, then each stanza after a
 * blank line. Each stanza must read back alone as exactly one stanza with its comments above it and
 * no problem (no continuation running out of it), so kept bytes stay inside their own stanza.
 */
export function readSavedSearches(read: BundleReader, ctx: RenderContext): BundlePiece[] | { error: string } {
  const text = read("savedsearches.conf");
  if (text === undefined) return [];
  if (ctx.templates.isOverridden(BUNDLE_TEMPLATE)) return { error: `written with your own ${BUNDLE_TEMPLATE}, whose layout rulecast cannot read back` };
  const head = ctx.templates.render(BUNDLE_TEMPLATE, templateView({ stanzas: [] }, undefined, "splunk", ctx));
  if (!text.startsWith(head)) return { error: "it does not begin with the header rulecast writes" };
  const body = text.slice(head.length);
  if (body === "") return [];
  if (!body.startsWith("\n") || !body.endsWith("\n")) return { error: "it is not laid out as rulecast writes it (a blank line before each stanza, a newline at the end)" };
  const whole = readConf(text).problems[0];
  if (whole) return { error: `line ${whole.line}: ${whole.message}` };
  const pieces: BundlePiece[] = [];
  for (const block of body.slice(1, -1).split("\n\n")) {
    const r = readConf(block);
    const stanza = r.stanzas[0];
    const problem = r.problems[0]?.message ?? (r.stanzas.length !== 1 || !stanza ? `${r.stanzas.length} stanzas between two blank lines` : undefined) ?? confStanzaProblem(stanza.name);
    if (problem || !stanza) return { error: `stanza ${pieces.length + 1}: ${problem ?? "no stanza"}` };
    if (!block.startsWith("#") && !block.startsWith("[")) return { error: `stanza [${stanza.name}]: text before its comments and header` };
    if (r.comments.length !== stanza.comments.length) return { error: `stanza [${stanza.name}]: comments after its header` };
    pieces.push({ text: block, name: stanza.name });
  }
  return pieces;
}

/** How the stanza runs and alerts (splunk-schedule.ts, splunk-risk.ts), decided by the target. */
export interface StanzaPlan {
  readonly schedule: SplunkSchedule;
  readonly risk?: RiskAction;
  readonly notable: boolean;
  readonly enabled: boolean;
}

/**
 * The stanza for a rule whose query is `search` (with `--splunk-app`, the app's name prefixes the
 * title); undefined when a value cannot be written (reported).
 */
export function renderStanza(rule: Rule, search: string, ctx: RenderContext, splunkApp: string | undefined, report: Report, plan: StanzaPlan): BundlePiece | undefined {
  let refused = false;
  const error = (code: string, message: string, hint?: string) => {
    refused = true;
    report.error(code, message, hint);
  };
  const warn = report.warn;
  const searchProblem = confValueProblem(search);
  if (searchProblem) error("splunk/conf-search", `the search cannot be written to savedsearches.conf exactly: ${searchProblem}`);
  const description = confProse(rule.description, warn);

  // The saved search's name: one line (a label, the stanza header), whatever line breaks the title holds.
  const name = oneLineName(rule.name);
  const title = splunkApp ? `${splunkApp} - ${name} - Rule` : name;
  const titleProblem = confValueProblem(title);
  if (titleProblem) error("splunk/conf-title", `the title cannot be written to savedsearches.conf exactly: ${titleProblem}`);
  // A saved search is named by its stanza header, written without brackets.
  const stanza = title.replace(/[[\]]/g, " ").trim();
  const stanzaProblem = titleProblem ? undefined : confStanzaProblem(stanza);
  if (stanzaProblem) error("splunk/stanza-name", `the title cannot name a savedsearches.conf stanza: ${stanzaProblem}`);
  if (refused) return undefined;

  if (title.length > 99) warn("splunk/long-name", "Splunk ES cannot edit saved searches whose name is longer than 99 characters");
  const view: StanzaView = {
    comments: comments(rule),
    stanza,
    title,
    description,
    search,
    // Shipped disabled unless the rule or the user says enabled, as ESCU and Kibana imports ship.
    disabled: plan.enabled ? "0" : "1",
    cron: plan.schedule.cron,
    earliest: plan.schedule.earliest,
    latest: plan.schedule.latest,
    ...(plan.risk ? { risk: plan.risk } : {}),
    notable: plan.notable,
    maxCount: String(rule.maxSignals),
    alertSeverity: String(ALERT_SEVERITY[rule.severity] ?? 3),
    severity: rule.severity,
    annotations: jsonLine(annotations(rule)),
    metadata: jsonLine({ detection_id: rule.id, detection_version: String(rule.version), deprecated: rule.status === "deprecated" ? "1" : "0" }),
  };
  const text = ctx.templates.render("splunk/stanza.conf.hbs", templateView(view, rule, "splunk", ctx));
  const readBack = stanzaReadBack(text, stanza, search);
  if (readBack) {
    error("splunk/conf-output", `the stanza from ${ctx.templates.source("splunk/stanza.conf.hbs")} does not read back as written: ${readBack}`);
    return undefined;
  }
  return { text, name: stanza, document: intendedStanza(view) };
}

interface StanzaView {
  readonly comments: readonly string[];
  readonly stanza: string;
  readonly title: string;
  readonly description: string;
  readonly search: string;
  readonly disabled: string;
  readonly risk?: RiskAction;
  readonly notable: boolean;
  readonly cron: string;
  readonly earliest: string;
  readonly latest: string;
  readonly maxCount: string;
  readonly alertSeverity: string;
  readonly severity: string;
  readonly annotations: string;
  readonly metadata: string;
}

/** What the stanza must read back as (templates/splunk/stanza.conf.hbs, key for key): tests compare. */
function intendedStanza(v: StanzaView): { name: string; comments: string[]; keys: Record<string, string> } {
  return {
    name: v.stanza,
    comments: v.comments.map((c) => `# ${confComment(c)}`),
    keys: {
      description: v.description,
      search: v.search.trim(),
      disabled: v.disabled,
      enableSched: "1",
      cron_schedule: v.cron,
      "dispatch.earliest_time": v.earliest,
      "dispatch.latest_time": v.latest,
      "dispatch.max_count": v.maxCount,
      allow_skew: "0",
      schedule_window: "auto",
      counttype: "number of events",
      relation: "greater than",
      quantity: "0",
      "alert.track": "1",
      "alert.digest_mode": "0",
      "alert.severity": v.alertSeverity,
      "action.correlationsearch.enabled": "1",
      "action.correlationsearch.label": v.title.trim(),
      "action.correlationsearch.annotations": v.annotations,
      "action.correlationsearch.metadata": v.metadata,
      ...(v.risk
        ? {
            "action.risk": "1",
            "action.risk.param._risk": v.risk.objects,
            "action.risk.param._risk_message": v.risk.message,
            "action.risk.param._risk_score": "0",
            "action.risk.param.verbose": "0",
          }
        : {}),
      ...(v.notable
        ? {
            "action.notable": "1",
            "action.notable.param.rule_title": v.title.trim(),
            "action.notable.param.rule_description": v.description,
            "action.notable.param.severity": v.severity,
          }
        : {}),
    },
  };
}

/**
 * Prose for savedsearches.conf: CRs and blanks before line ends go (unseen in prose), and so does
 * what the file cannot hold at all, with a warning: control characters (written as spaces), and
 * backslashes ending a line.
 */
function confProse(text: string, warn: (code: string, message: string) => void): string {
  let s = text.replace(/\r\n?|[\u2028\u2029]/g, "\n");
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s)) {
    s = s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, " ");
    warn("splunk/description-control", "the description holds control characters, which savedsearches.conf cannot hold; they were written as spaces");
  }
  if (/\\[^\S\n]*$/m.test(s)) {
    warn("splunk/description-backslash", "a line of the description ends in a backslash, which savedsearches.conf cannot hold; it was dropped from the description");
  }
  return s
    .split("\n")
    .map((line) => trimEndWhere(line, (c) => c === "\\" || /\s/.test(c)))
    .join("\n")
    .trim();
}

/**
 * What is wrong when a rendered stanza (the built-in template or a user's) does not read back as
 * one stanza of the intended name, holding the search exactly when it writes one.
 */
function stanzaReadBack(text: string, stanza: string, search: string): string | undefined {
  const read = readConf(text);
  const problem = read.problems[0];
  if (problem) return `line ${problem.line}: ${problem.message}`;
  const names = read.stanzas.map((s) => `[${s.name}]`);
  if (names.length !== 1 || read.stanzas[0]!.name !== stanza) return `it reads as ${names.join(" ") || "no stanza"}, not [${stanza}]`;
  const got = read.stanzas[0]!.keys.get("search");
  if (got !== undefined && got !== search.trim()) return "its search reads back as another search";
  return undefined;
}

/**
 * JSON on one conf line: JSON.stringify leaves DEL, the C1 controls and U+2028/U+2029 raw, which a
 * conf value cannot hold; as `\uXXXX` escapes the JSON reads back the same.
 */
function jsonLine(v: unknown): string {
  return JSON.stringify(v).replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** ES annotations: ATT&CK technique ids (Splunk ES takes no tactic ids), plus rulecast's own keys. */
function annotations(rule: Rule): Record<string, unknown> {
  const ids: string[] = [];
  for (const t of rule.threat) {
    for (const tech of t.techniques) {
      if (!ids.includes(tech.id)) ids.push(tech.id);
      for (const s of tech.subtechniques) if (!ids.includes(s.id)) ids.push(s.id);
    }
  }
  return { mitre_attack: ids };
}

/** What savedsearches.conf has no key for, as comment lines above the stanza (one line each). */
function comments(rule: Rule): string[] {
  const one = (s: string) => s.replace(/\s+/g, (run) => (/[\r\n]/.test(run) ? " " : run));
  const out = [`rule_id: ${rule.id}`, `version: ${rule.version}`, `risk_score: ${rule.riskScore}`];
  if (rule.authors.length) out.push(`author: ${one(rule.authors.join(", "))}`);
  if (rule.license) out.push(`license: ${one(rule.license)}`);
  if (rule.tags.length) out.push(`tags: ${one(rule.tags.join(", "))}`);
  if (rule.index.length) out.push(`elastic index: ${one(rule.index.join(", "))}`);
  for (const r of rule.references) out.push(`reference: ${one(r)}`);
  for (const fp of rule.falsePositives) out.push(`false positive: ${one(fp)}`);
  for (const t of rule.threat) {
    const techniques = t.techniques.map((x) => `${x.id} ${one(x.name)}`).join(", ");
    out.push(`mitre: ${t.tactic.id} ${one(t.tactic.name)}${techniques ? `: ${techniques}` : ""}`);
  }
  if (rule.added) out.push(`added: ${rule.added}`);
  if (rule.lastModified) out.push(`last modified: ${rule.lastModified}`);
  for (const h of rule.history) {
    out.push(`history: v${h.version}${h.release ? ` (${h.release})` : ""}: ${one(h.changes.join("; "))}${h.previousQuery ? ` (was: ${one(h.previousQuery)})` : ""}`);
  }
  return out;
}
