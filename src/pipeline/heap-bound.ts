/**
 * A streaming run keeps little (test/bench/README.md: ~20 MiB live after converting SigmaHQ three
 * times), but V8 sizes its old space by how much survives young-generation collections, and a
 * little of every rule's garbage does (whatever is alive when a scavenge runs). Left alone the
 * heap then grows with the rule set before the first full collection: 160 MiB for three copies
 * of SigmaHQ against 60 MiB for one. A full collection whenever the old generation has grown by
 * `growth` since the last one bounds peak memory by what the run holds plus that margin.
 *
 * A forced collection costs far more than its own pause: it is a memory-reducing one, which drops
 * the maps and code that optimized functions depend on ("weak objects" deoptimizations: 411
 * against 2 in one SigmaHQ run), so the run recompiles its hot code after each. The first version
 * counted the whole heap, young generation included (up to 32 MiB of it is garbage about to be
 * scavenged), and collected every 24 MiB: 7 collections for SigmaHQ once, 19 for three copies,
 * and 40-60 % more CPU than no bound. Counting only the old generation, where promoted garbage
 * accumulates, it collects 2 times for SigmaHQ and ~6 times for three copies at 24 MiB, at a CPU
 * cost within the noise of no bound (and of 48 MiB, whose 3x peak varied from 1.15x to 1.28x of 1x
 * between runs; 24 MiB: 1.10x and 1.11x, test/bench/README.md).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export const HEAP_GROWTH = 24 * 1024 * 1024;

let collect: (() => void) | undefined;

/** Bytes used in the old generation: every space but the young generation's. */
function oldGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== "new_space" && s.space_name !== "new_large_object_space") used += s.space_used_size;
  return used;
}

/** A function to call between units of work (input files): it collects when the old generation has grown by `growth`. */
export function heapBound(growth: number = HEAP_GROWTH): () => void {
  if (!collect) {
    // `gc` exists in contexts made after the flag is set; node's own `--expose-gc` need not be passed.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  const gc = collect;
  let base = oldGenerationUsed();
  let calls = 0;
  return () => {
    // Looked at every 8th call: reading the spaces' statistics costs ~20 µs (60 ms for SigmaHQ), 8 files add a few KiB.
    if (++calls % 8 !== 0 || oldGenerationUsed() - base < growth) return;
    gc();
    base = oldGenerationUsed();
  };
}
