/** A position in SPL text shared by the search and eval parsers; each parse owns its own cursor. */
import { QuerySyntaxError } from "../../../src/diagnostics/query-error.js";

export class SplCursor {
  pos = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(ahead = 0): string | undefined {
    return this.text[this.pos + ahead];
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Consumes an upper-case keyword when it stands alone (followed by space, `(` or `"`). */
  keyword(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    const after = this.text[this.pos + word.length];
    if (after !== undefined && !/[\s("]/.test(after)) return false;
    this.pos += word.length;
    return true;
  }

  expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) {
      throw new QuerySyntaxError({ code: "spl/expected", message: `expected \`${s}\`, found ${this.describe()}`, offset: this.pos });
    }
    this.pos += s.length;
  }

  describe(): string {
    return this.atEnd() ? "the end of the query" : `\`${this.text.slice(this.pos, this.pos + 10)}\``;
  }
}

/**
 * A double-quoted string; `\\` and `\"` are the escapes rulecast writes. Any other backslash is
 * kept with the character after it, as the search command keeps it.
 */
export function readQuoted(c: SplCursor): string {
  const start = c.pos;
  c.expect('"');
  let out = "";
  for (;;) {
    const ch = c.peek();
    if (ch === undefined) throw new QuerySyntaxError({ code: "spl/unterminated-string", message: "unterminated string", offset: start });
    c.pos++;
    if (ch === '"') return out;
    if (ch === "\\") {
      const next = c.peek();
      if (next === undefined) throw new QuerySyntaxError({ code: "spl/unterminated-string", message: "unterminated string", offset: start });
      c.pos++;
      out += next === "\\" || next === '"' ? next : `\\${next}`;
    } else out += ch;
  }
}
