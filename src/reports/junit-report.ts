/**
 * `--report junit FILE`: one test case per rule (failing when a finding reaches `--fail-on`), plus
 * one per file-level problem, which GitLab, Jenkins and Azure show as test results.
 */
import { isFailing, type Report, type ReportEntry } from "./report-entry.js";

export function renderJunitReport(r: Report): string {
  const cases: { name: string; classname: string; entries: ReportEntry[] }[] = r.rules.map((rule) => ({
    name: `${rule.title} [${rule.id}]`,
    classname: rule.file,
    entries: r.entries.filter((e) => e.ruleId === rule.id),
  }));
  const known = new Set(r.rules.map((x) => x.id));
  for (const e of r.entries.filter((x) => !x.ruleId || !known.has(x.ruleId))) {
    cases.push({ name: `${e.file}:${e.line}:${e.column} ${e.checkId}`, classname: e.file || "rulecast", entries: [e] });
  }
  const failures = cases.filter((c) => c.entries.some((e) => isFailing(e, r.failOn))).length;
  const line = (e: ReportEntry) => `${e.file}:${e.line}:${e.column}: ${e.severity} ${e.checkId}: ${e.message}`;
  const body = cases.map((c) => {
    const failing = c.entries.filter((e) => isFailing(e, r.failOn));
    const rest = c.entries.filter((e) => !isFailing(e, r.failOn));
    const parts = [
      ...failing.map((e) => `      <failure type="${xml(e.checkId)}" message="${xml(e.message)}">${xml(line(e))}</failure>`),
      ...(rest.length ? [`      <system-out>${xml(rest.map(line).join("\n"))}</system-out>`] : []),
    ];
    const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}"`;
    return parts.length ? `${open}>\n${parts.join("\n")}\n    </testcase>` : `${open}/>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="rulecast" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="rulecast ${xml(r.command)}" tests="${cases.length}" failures="${failures}" errors="0">`,
    ...body,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

/** XML 1.0 text and attribute escaping; characters XML cannot hold at all become U+FFFD. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // As references, line ends and tabs survive attribute-value normalisation (which makes them spaces).
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}
