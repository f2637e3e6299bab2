/**
 * Validators for what rulecast writes, from the schemas in ../shared/reference/schemas:
 * Sigma rules and correlations (JSON Schema 2020-12) and Kibana 9.5 rules per type (draft-04).
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import AjvDraft04Module from "ajv-draft-04";
import type { ValidateFunction } from "ajv";

const SCHEMAS = "../shared/reference/schemas";
// A CommonJS class whose `default` export is itself; NodeNext types only see it through `.default`.
const AjvDraft04 = (AjvDraft04Module as unknown as { default: new (o: object) => { compile(s: object): ValidateFunction } }).default;

function load(path: string): object {
  return JSON.parse(readFileSync(`${SCHEMAS}/${path}`, "utf8")) as object;
}

let sigma: { rule: ValidateFunction; correlation: ValidateFunction } | undefined;
const kibana = new Map<string, ValidateFunction>();

export function sigmaValidators(): { rule: ValidateFunction; correlation: ValidateFunction } {
  if (!sigma) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    // The Sigma schemas use format "uuid"; ajv knows no formats without a plugin.
    ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    sigma = {
      rule: ajv.compile(load("sigma/sigma-detection-rule-schema.json")),
      correlation: ajv.compile(load("sigma/sigma-correlation-rules-schema.json")),
    };
  }
  return sigma;
}

export function kibanaValidator(type: string): ValidateFunction {
  let v = kibana.get(type);
  if (!v) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    const compiled = ajv.compile(load(`elastic-9.5/9.5.${type}.json`));
    kibana.set(type, compiled);
    return compiled;
  }
  return v;
}

export function errorsText(v: ValidateFunction): string {
  return (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join("; ");
}
