/**
 * A streaming run keeps little (test/bench/README.md: ~20 MiB live after converting SigmaHQ three
 * times), but V8 sizes its old space by how much survives young-generation collections, and a
 * little of every rule's garbage does (whatever is alive when a scavenge runs). Left alone the
 * heap then grows with the rule set between full collections: peak RSS 236 MiB for three copies
 * of SigmaHQ against 167 MiB for one (1.41x).
 *
 * V8's own full collections are enough if it lets the old generation grow by less after each:
 * `--heap-growing-percent=20` (the next collection once the old generation is 1.2x what survived
 * the last) holds three copies at 1.12-1.20x of one. A forced collection (`gc()`), which bounded
 * it before, costs far more than its own pause: it throws away optimized code whose embedded maps
 * and objects it frees (277 "weak objects" deoptimizations in a SigmaHQ three-target run with 4
 * forced collections, 8 with V8's own only), so the run recompiles its hot code after each: 20 %
 * more CPU, most of it on the compiler threads (test/bench/README.md, fourth session).
 * `gc()` stays as a backstop, in case a V8 ignores the flag: when the old generation has grown by
 * `growth` since the last full collection, V8's or forced.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export const HEAP_GROWTH = 48 * 1024 * 1024;

/** The old generation may grow to this many percent over what survived the last full collection. */
const HEAP_GROWING_PERCENT = 20;

let collect: (() => void) | undefined;

/** Bytes used in the old generation: every space but the young generation's. */
function oldGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== "new_space" && s.space_name !== "new_large_object_space") used += s.space_used_size;
  return used;
}

/** A function to call between units of work (input files): it collects when the old generation has grown by `growth` since the last full collection. */
export function heapBound(growth: number = HEAP_GROWTH): () => void {
  if (!collect) {
    // `gc` exists in contexts made after the flag is set; node's own `--expose-gc` need not be passed.
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  const gc = collect;
  let base = oldGenerationUsed();
  let last = base;
  let calls = 0;
  return () => {
    // Looked at every 8th call: reading the spaces' statistics costs ~20 µs (60 ms for SigmaHQ), 8 files add a few KiB.
    if (++calls % 8 !== 0) return;
    const used = oldGenerationUsed();
    // Only a full collection makes the old generation smaller: growth counts from what V8's own left.
    if (used < last) base = used;
    last = used;
    if (used - base < growth) return;
    gc();
    base = last = oldGenerationUsed();
  };
}
