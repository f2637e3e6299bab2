/**
 * A progress bar on stderr for long runs, drawn only when stderr is a terminal (CI logs and pipes
 * get nothing). It redraws at most once per percent and erases itself when done, so the summary
 * line that follows starts at column 1.
 */
import type { Io } from "./io.js";

export interface Progress {
  tick(): void;
  done(): void;
}

/** Runs shorter than this finish before a bar would help. */
export const PROGRESS_MIN_ITEMS = 50;

const WIDTH = 30;

export function startProgress(io: Io, label: string, total: number): Progress {
  if (!io.stderrIsTty || total < PROGRESS_MIN_ITEMS) return { tick: () => {}, done: () => {} };
  let n = 0;
  let shown = -1;
  const draw = () => {
    const pct = Math.floor((n / total) * 100);
    if (pct === shown) return;
    shown = pct;
    const filled = Math.round((n / total) * WIDTH);
    io.err(`\r${label} [${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${n}/${total}`);
  };
  draw();
  return {
    tick: () => {
      n++;
      draw();
    },
    done: () => io.err(`\r${" ".repeat(label.length + WIDTH + 2 * String(total).length + 5)}\r`),
  };
}
