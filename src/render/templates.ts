/**
 * The Handlebars environment for document layout. Templates receive a precomputed view model and
 * may only use `if`/`each`/`unless`/`with` and the escaping helpers below: no method calls, no
 * prototype access (Handlebars' default since 4.6, kept explicit), strict lookups so a missing
 * view field fails loudly instead of printing nothing.
 */
import Handlebars from "handlebars";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_MAX_CONFIG_SIZE } from "../input/limits.js";
import { InputFileError, readTextInput } from "../input/read-text.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { confValue, jsonBlock, jsonValue, yamlBlock, yamlScalar } from "./escape.js";

export interface Templates {
  /** Renders `templates/<name>` (e.g. `sigma/rule.yaml.hbs`) with a view model; LF, one trailing newline. */
  render(name: string, view: object): string;
}

export const BUILTIN_TEMPLATE_DIR = join(PACKAGE_ROOT, "templates");

/**
 * Templates from `overrideDir` (a user's `--templates`) win over the built-in ones, file by file.
 * A user's template is read with a size bound, and only when it is a regular file.
 */
export function loadTemplates(overrideDir?: string, maxTemplateBytes: number = DEFAULT_MAX_CONFIG_SIZE): Templates {
  const hb = Handlebars.create();
  hb.registerHelper("json", (v: unknown) => jsonValue(v));
  hb.registerHelper("jsonBlock", (v: unknown, indent: unknown) => jsonBlock(v, Number(indent)));
  hb.registerHelper("yaml", (v: unknown) => yamlScalar(v));
  hb.registerHelper("yamlBlock", (v: unknown, indent: unknown) => yamlBlock(v, Number(indent)));
  // Detection values single-quoted throughout, as SigmaHQ writes them (keys stay plain).
  hb.registerHelper("yamlBlockQuoted", (v: unknown, indent: unknown) => yamlBlock(v, Number(indent), true));
  hb.registerHelper("conf", (v: unknown) => confValue(v));
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return {
    render(name, view) {
      let t = compiled.get(name);
      if (!t) {
        const override = overrideDir ? join(overrideDir, name) : undefined;
        const source = override && existsSync(override) ? readUserTemplate(override, maxTemplateBytes) : readFileSync(join(BUILTIN_TEMPLATE_DIR, name), "utf8");
        t = hb.compile(source, { noEscape: true, strict: true });
        compiled.set(name, t);
      }
      const out = t(view, {
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
      return `${tidy(out)}\n`;
    },
  };
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
  if (s.includes(" \n") || s.includes("\t\n")) s = s.replace(/[ \t]+\n/g, "\n");
  return s.trimEnd();
}
