/**
 * Risk-based alerting for Splunk ES: the risk objects a search's results carry (CIM's dest/src as
 * systems, user/src_user as users; Splunk's own `host` for raw-event searches; Windows account
 * fields when a correlation keeps only its keys), each with the
 * rule's risk score, and a risk message built from the rule's name and those fields.
 */
import type { Rule } from "../../ir/rule.js";
import { oneLineName } from "./splunk-names.js";

export type SplunkAlert = "risk" | "notable" | "both";

export const SPLUNK_ALERTS: readonly SplunkAlert[] = ["risk", "notable", "both"];

/** Result fields that name a risk object, in the order ES lists them, with the object type. */
const RISK_OBJECT_TYPES: readonly (readonly [string, "system" | "user"])[] = [
  ["dest", "system"],
  ["src", "system"],
  ["host", "system"],
  ["user", "user"],
  ["src_user", "user"],
  // Raw Windows events by the add-ons' (Sigma's) names, for searches that keep only join keys.
  ["Computer", "system"],
  ["TargetUserName", "user"],
  ["SubjectUserName", "user"],
  ["User", "user"],
];

export interface RiskAction {
  /** `action.risk.param._risk`: JSON list of { risk_object_field, risk_object_type, risk_score }. */
  readonly objects: string;
  readonly message: string;
}

/** Undefined when the results carry no field that names a risk object. */
export function riskAction(rule: Rule, resultFields: readonly string[]): RiskAction | undefined {
  const present = RISK_OBJECT_TYPES.filter(([f]) => resultFields.includes(f));
  if (present.length === 0) return undefined;
  const objects = present.map(([field, type]) => ({ risk_object_field: field, risk_object_type: type, risk_score: rule.riskScore }));
  // `$field$` is a token in risk messages; a `$` of the rule's own name is doubled so it stays text.
  const name = oneLineName(rule.name);
  const message = `${name.replace(/\$/g, "$$$$")}: ${present.map(([f]) => `${f}=$${f}$`).join(" ")}`;
  return { objects: JSON.stringify(objects), message };
}
