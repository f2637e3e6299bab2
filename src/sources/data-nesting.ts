/**
 * Bounds on rule-file data. Readers, passes and renderers walk custom data recursively, so a
 * hostile file nested thousands deep would overflow the stack somewhere downstream; rule data is
 * never more than a few levels deep, so a generous limit costs nothing.
 */
import { isAlias, isCollection, isPair, visit, type Document } from "yaml";

export const MAX_DATA_NESTING = 100;

/** Offset of the first `[`/`{` nested deeper than the limit in JSON text, outside strings. */
export function jsonTooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // `\`: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DATA_NESTING) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/**
 * Offset of the first YAML collection nested deeper than the limit. A direct walk that stops one
 * level past the limit (so it never recurses deeper than that); aliases are not followed.
 */
export function yamlTooDeepAt(doc: Document): number | undefined {
  return tooDeepAt(doc.contents, 1);
}

function tooDeepAt(node: unknown, depth: number): number | undefined {
  if (isPair(node)) return tooDeepAt(node.key, depth) ?? tooDeepAt(node.value, depth);
  if (!isCollection(node)) return undefined;
  if (depth > MAX_DATA_NESTING) return node.range?.[0] ?? 0;
  for (const item of node.items) {
    const found = tooDeepAt(item, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Offset of the first alias (`*name`): where an alias bomb is reported. */
export function firstAliasAt(doc: Document): number {
  let found = 0;
  visit(doc, (_key, node) => {
    if (!isAlias(node)) return undefined;
    found = node.range?.[0] ?? 0;
    return visit.BREAK;
  });
  return found;
}

/** The yaml library reports its own stack overflow as a parse error; say what it means. */
export function isYamlStackOverflow(message: string): boolean {
  return message.includes("Maximum call stack size exceeded");
}

export const NESTING_MESSAGE = `nesting too deep: more than ${MAX_DATA_NESTING} levels of maps or lists`;

/**
 * How many YAML errors of one document are reported: a broken file can yield one per character
 * (a run of `{`), and after the first few they follow from each other. The rest are counted.
 */
export const SHOWN_YAML_ERRORS = 10;

/** The line that stands for the errors not shown. */
export function moreYamlErrorsMessage(more: number): string {
  return `${more.toLocaleString("en")} more YAML error${more === 1 ? "" : "s"} in this document, not shown`;
}
