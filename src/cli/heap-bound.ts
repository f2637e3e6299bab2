/**
 * A streaming run keeps little (test/bench/README.md: ~20 MiB live after converting SigmaHQ three
 * times), but V8 sizes its old space by how much survives young-generation collections, and a
 * little of every rule's garbage does (whatever is alive when a scavenge runs). Left alone the
 * heap then grows with the rule set before the first full collection: 160 MiB for three copies
 * of SigmaHQ against 60 MiB for one. A full collection whenever the heap has grown by `growth`
 * since the last one bounds peak memory by what the run holds plus that margin; with ~30 MiB
 * live it costs some 20-40 ms each.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export const HEAP_GROWTH = 24 * 1024 * 1024;

let collect: (() => void) | undefined;

/** A function to call between units of work (input files): it collects when the heap has grown by `growth`. */
export function heapBound(growth: number = HEAP_GROWTH): () => void {
  if (!collect) {
    // `gc` exists in contexts made after the flag is set; node's own `--expose-gc` need not be passed.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  const gc = collect;
  let base = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size - base < growth) return;
    gc();
    base = getHeapStatistics().used_heap_size;
  };
}
