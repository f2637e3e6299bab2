/**
 * The Handlebars environment for document layout. Templates receive a precomputed view model and
 * may only use `if`/`each`/`unless`/`with` and the escaping helpers below: no method calls, no
 * prototype access (Handlebars' default since 4.6, kept explicit), strict lookups so a missing
 * view field fails loudly instead of printing nothing.
 */
import Handlebars from "handlebars";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_MAX_CONFIG_SIZE } from "../input/limits.js";
import { InputFileError, readTextInput } from "../input/read-text.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { confComment, confStanza, confValue, jsonBlock, jsonValue, UnwritableValue, yamlBlock, yamlScalar } from "./escape.js";
import { trimEndWhere } from "./trim-end.js";

export interface Templates {
  /** Renders `templates/<name>` (e.g. `sigma/rule.yaml.hbs`) with a view model; LF, one trailing newline. */
  render(name: string, view: object): string;
  /** Whether `name` comes from the user's `--templates` folder (its output needs checking as a whole). */
  isOverridden(name: string): boolean;
  /** The file `name` is read from, for messages. */
  source(name: string): string;
}

/**
 * A template that does not compile, or that fails on a view (a field it names is missing, a value
 * its helper cannot write): names the template file and, when known, the line. Renderers turn it
 * into an error for the rule; a template that does not compile stops the run (the CLI says so).
 */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`template ${template}${line ? ` line ${line}` : ""}: ${reason}`);
  }
}

export const BUILTIN_TEMPLATE_DIR = join(PACKAGE_ROOT, "templates");

/** A helper's own failure, with the line Handlebars gives the helper call. */
class HelperFailure {
  constructor(
    readonly line: number | undefined,
    readonly reason: string,
  ) {}
}

type HelperOptions = { readonly name?: string; readonly loc?: { readonly start?: { readonly line?: number } } };

/**
 * A helper that refuses what it cannot write: an argument that is `undefined` is a field the view
 * does not have (Handlebars' strict mode checks plain `{{x}}` but not helper arguments), and a value
 * the escaping function cannot hold exactly is not written.
 */
function checked(fn: (...args: unknown[]) => string): (...args: unknown[]) => string {
  return (...args) => {
    const options = args.pop() as HelperOptions;
    const line = options.loc?.start?.line;
    if (args.length === 0 || args.includes(undefined)) throw new HelperFailure(line, `\`${options.name}\` is given a field the view does not have`);
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof UnwritableValue) throw new HelperFailure(line, e.message);
      throw e;
    }
  };
}

/**
 * Templates from `overrideDir` (a user's `--templates`) win over the built-in ones, file by file.
 * A user's template is read with a size bound, and only when it is a regular file.
 */
export function loadTemplates(overrideDir?: string, maxTemplateBytes: number = DEFAULT_MAX_CONFIG_SIZE): Templates {
  const hb = Handlebars.create();
  hb.registerHelper("json", checked((v) => jsonValue(v)));
  hb.registerHelper("jsonBlock", checked((v, indent) => jsonBlock(v, Number(indent))));
  hb.registerHelper("yaml", checked((v) => yamlScalar(v)));
  hb.registerHelper("yamlBlock", checked((v, indent) => yamlBlock(v, Number(indent))));
  // Detection values single-quoted throughout, as SigmaHQ writes them (keys stay plain).
  hb.registerHelper("yamlBlockQuoted", checked((v, indent) => yamlBlock(v, Number(indent), true)));
  hb.registerHelper("conf", checked((v) => confValue(v)));
  hb.registerHelper("confComment", checked((v) => confComment(v)));
  hb.registerHelper("confStanza", checked((v) => confStanza(v)));
  const overridden = new Set(overrideDir ? templateNames().filter((n) => existsSync(join(overrideDir, n))) : []);
  const pathOf = (name: string) => (overridden.has(name) ? join(overrideDir!, name) : join(BUILTIN_TEMPLATE_DIR, name));
  const compile = (name: string): Handlebars.TemplateDelegate => {
    const path = pathOf(name);
    const text = overridden.has(name) ? readUserTemplate(path, maxTemplateBytes) : readFileSync(path, "utf8");
    try {
      // compile() is lazy; precompiling finds syntax errors now, with their line.
      hb.precompile(text, OPTIONS);
    } catch (e) {
      throw compileError(path, e);
    }
    return hb.compile(text, OPTIONS);
  };
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  // A user's template that does not compile stops the run before any rule is converted.
  for (const name of overridden) compiled.set(name, compile(name));
  return {
    isOverridden: (name) => overridden.has(name),
    source: pathOf,
    render(name, view) {
      let t = compiled.get(name);
      if (!t) {
        t = compile(name);
        compiled.set(name, t);
      }
      let out: string;
      try {
        out = t(view, {
          allowProtoPropertiesByDefault: false,
          allowProtoMethodsByDefault: false,
        });
      } catch (e) {
        throw renderError(pathOf(name), e);
      }
      return `${tidy(out)}\n`;
    },
  };
}

const OPTIONS = { noEscape: true, strict: true } as const;

/** Every template file rulecast renders, as `target/file.hbs`. */
function templateNames(): string[] {
  return readdirSync(BUILTIN_TEMPLATE_DIR, { recursive: true, encoding: "utf8" })
    .map((f) => f.split("\\").join("/"))
    .filter((f) => f.endsWith(".hbs"))
    .sort();
}

/** Handlebars' parse errors span several lines (the text, a caret, what was expected): keep one. */
function compileError(path: string, e: unknown): TemplateError {
  const message = e instanceof Error ? e.message : String(e);
  const lines = message.split("\n");
  const parse = /^Parse error on line (\d+)/.exec(lines[0] ?? "");
  if (parse) return new TemplateError(path, Number(parse[1]), `syntax error: ${lines[lines.length - 1]}`);
  const at = / - (\d+):\d+$/.exec(lines[0] ?? "");
  return new TemplateError(path, at ? Number(at[1]) : undefined, (lines[0] ?? "").replace(/ - \d+:\d+$/, ""));
}

function renderError(path: string, e: unknown): TemplateError {
  if (e instanceof HelperFailure) return new TemplateError(path, e.line, e.reason);
  const message = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  // Strict mode: `"title" not defined in [object Object] - 3:6`.
  const missing = /^"(.*)" not defined in .* - (\d+):\d+$/.exec(message);
  if (missing) return new TemplateError(path, Number(missing[2]), `\`${missing[1]}\` is not a field of the view`);
  return new TemplateError(path, undefined, message);
}

function readUserTemplate(path: string, maxBytes: number): string {
  const read = readTextInput({ shown: path, absolute: path }, { bytes: maxBytes, setting: "--max-config-size" });
  if (!read.ok) throw new InputFileError(`cannot read template: ${formatDiagnostic(read.diagnostic)}`);
  return read.text;
}

/**
 * LF line ends, no blanks before a line end, none at the end. Most documents need none of it, and
 * a scan for the two characters is far cheaper than a regex that tries every blank.
 */
function tidy(out: string): string {
  let s = out.includes("\r") ? out.replace(/\r\n?/g, "\n") : out;
  if (s.includes(" \n") || s.includes("\t\n")) s = s.split("\n").map((line) => trimEndWhere(line, (c) => c === " " || c === "\t")).join("\n");
  return s.trimEnd();
}
