/**
 * Where a run's files go as they are made (staged under `--out`, compared for `--check`, or held
 * to print): a rule's files are handed over whole, a bundle a piece at a time, so the run keeps
 * no rule's output once it is handed over.
 */
import type { FileToWrite } from "./write-output.js";

export interface Appender {
  append(text: string): void;
  /** The file is whole; `path` is its name (in the folder `open` was given), undefined when it is not to be written after all. */
  close(path: string | undefined): void;
}

export interface OutputSink {
  put(f: FileToWrite): void;
  /** A file made a piece at a time, to be named in `path`'s folder when closed. */
  open(path: string): Appender;
  /** The text of a file handed over (what a package is made from). */
  contentOf(path: string): string;
  /** The run keeps nothing: every temporary file and every folder made for them goes. */
  discard(): void;
}

/** Appends are gathered into blocks of this size before they reach the file. */
export const APPEND_BLOCK = 64 * 1024;

/** An appender that writes its text in blocks (`flush` gets each block). */
export function blockAppender(flush: (text: string) => void, close: (path: string | undefined) => void): Appender {
  let pending: string[] = [];
  let size = 0;
  const drain = () => {
    if (size === 0) return;
    flush(pending.join(""));
    pending = [];
    size = 0;
  };
  return {
    append(text) {
      pending.push(text);
      size += text.length;
      if (size >= APPEND_BLOCK) drain();
    },
    close(path) {
      drain();
      close(path);
    },
  };
}
