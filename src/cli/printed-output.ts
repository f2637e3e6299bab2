/**
 * Without `--out` the files are printed, each under a `==> path <==` line, once the run decides to
 * keep them: this sink holds them until then (printing is for a few rules, not a repository).
 */
import { oneLine } from "../diagnostics/display-text.js";
import type { Appender, OutputSink } from "../pipeline/output-sink.js";
import type { FileToWrite } from "../pipeline/write-output.js";
import type { Io } from "./io.js";

export class PrintedOutput implements OutputSink {
  private files: { path: string; content: string }[] = [];
  readonly written: FileToWrite[] = [];

  put(f: FileToWrite): void {
    this.written.push({ path: f.path, content: "", ...(f.source !== undefined ? { source: f.source } : {}) });
    // Archives are not printed.
    if (typeof f.content === "string") this.files.push({ path: f.path, content: f.content });
  }

  open(): Appender {
    const parts: string[] = [];
    return {
      append: (text) => parts.push(text),
      close: (path) => {
        if (path !== undefined) this.put({ path, content: parts.join("") });
      },
    };
  }

  contentOf(path: string): string {
    return this.files.find((f) => f.path === path)?.content ?? "";
  }

  discard(): void {
    this.files = [];
  }

  print(io: Io): void {
    for (const f of this.files) io.out(`==> ${oneLine(f.path)} <==\n${f.content}`);
  }
}
