/**
 * The rule-file JSON Schema (schema/rule.schema.json, shipped in the package for editors too),
 * compiled once per process and turned into positioned diagnostics.
 */
import { closest } from "../../diagnostics/did-you-mean.js";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../package-root.js";

// Compiled once per process from the shipped schema: a cache of immutable data, not state.
let compiled: ValidateFunction | undefined;

export function ruleSchema(): object {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, "schema", "rule.schema.json"), "utf8")) as object;
}

/** The compiled validator; compiling is the expensive part, so it is done once (pure afterwards). */
export function ruleValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(ruleSchema());
  return compiled;
}

export interface SchemaProblem {
  readonly path: (string | number)[];
  /** Point at the key rather than the value (unknown or missing keys). */
  readonly atKey: boolean;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** Keys the schema allows at the top level, for "did you mean" hints. */
export function knownTopLevelKeys(): string[] {
  return Object.keys((ruleSchema() as { properties: Record<string, unknown> }).properties);
}

export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    const path = e.instancePath
      .split("/")
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, "/").replace(/~0/g, "~")));
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const near = path.length === 0 ? closest(key, knownTopLevelKeys(), (w) => Math.max(2, Math.floor(w.length / 3))) : undefined;
        out.push({
          path: [...path, key],
          atKey: true,
          code: "rule/unknown-field",
          message: `unknown field \`${key}\``,
          hint: near ? `did you mean \`${near}\`? Keep extra data under \`custom:\`` : "keep extra data under `custom:`",
        });
        break;
      }
      case "required": {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        out.push({
          path,
          atKey: true,
          code: "rule/missing-field",
          message: `required field \`${key}\` is missing${path.length ? ` in ${path.join(".")}` : ""}`,
          hint: `add \`${key}:\``,
        });
        break;
      }
      case "if":
        // "must match the else schema": the branch's own error (a missing query) says what.
        break;
      case "enum": {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        out.push({
          path,
          atKey: false,
          code: "rule/invalid-value",
          message: `\`${path.join(".")}\` must be one of ${allowed.join(", ")}`,
        });
        break;
      }
      case "pattern": {
        // A sub-technique id in the techniques list is a common slip; say where it belongs.
        const value = typeof e.data === "string" ? e.data : "";
        const sub = /^(T\d{4})\.\d{3}$/.exec(value);
        if (sub && path.length === 5 && path[0] === "threat" && path[2] === "techniques" && path[4] === "id") {
          out.push({
            path,
            atKey: false,
            code: "rule/invalid-value",
            message: `${value} is a sub-technique: list it under \`subtechniques:\` of technique ${sub[1]}, not as a technique`,
            hint: `techniques: [{ id: ${sub[1]}, name: …, subtechniques: [{ id: ${value}, name: … }] }]`,
          });
          break;
        }
        out.push({ path, atKey: false, code: "rule/invalid-value", message: `\`${path.join(".") || "rule"}\` ${e.message ?? "is invalid"}` });
        break;
      }
      default:
        out.push({
          path,
          atKey: false,
          code: "rule/invalid-value",
          message: `\`${path.join(".") || "rule"}\` ${e.message ?? "is invalid"}`,
        });
    }
  }
  return out;
}
