/**
 * Positions inside YAML files: which node a JSON path points at, and where a character of a
 * scalar's value sits in the file (so an error inside an embedded query points into the rule file).
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, Scalar } from "yaml";

/** The node at a path (`["threat", 0, "tactic", "id"]`), or the closest ancestor that exists. */
export function nodeAt(doc: Document, path: readonly (string | number)[]): { node: Node | null; keyNode: Node | null } {
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) break;
      keyNode = null;
      node = item;
    } else break;
  }
  return { node: (node as Node | null) ?? null, keyNode };
}

/** Start offset of a node in the file (its key's, when asked and present). */
export function offsetOf(doc: Document, path: readonly (string | number)[], preferKey = false): number {
  const { node, keyNode } = nodeAt(doc, path);
  if (preferKey && keyNode?.range) return keyNode.range[0];
  return node?.range?.[0] ?? keyNode?.range?.[0] ?? 0;
}

/**
 * Maps an offset in a scalar's parsed value to an offset in the file. Exact for block scalars
 * (`|`, `>`: each value line is a file line minus the indentation) and for single-line plain and
 * quoted scalars without escapes; otherwise close (same line, start of the scalar).
 */
export function scalarOffsetMapper(fileText: string, node: Node | null): (valueOffset: number) => number {
  const pieces = scalarPieces(fileText, node);
  return (valueOffset) => {
    let piece = pieces[0]!;
    for (const p of pieces) if (p.valueOffset <= valueOffset) piece = p;
    return Math.min(piece.fileOffset + (valueOffset - piece.valueOffset), piece.fileOffset + piece.length);
  };
}

/**
 * The pieces of a scalar's value that sit on one file line each: where each starts in the value and
 * in the file, and its length (same rules as scalarOffsetMapper, which reads them).
 */
export function scalarPieces(fileText: string, node: Node | null): { valueOffset: number; fileOffset: number; length: number }[] {
  if (!node || !isScalar(node) || !node.range) return [{ valueOffset: 0, fileOffset: 0, length: 0 }];
  const [start, end] = node.range;
  const type = node.type;
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    // After the header line (`|`, `>-`, ...) each source line is one value line minus its
    // indentation, and every line break becomes one character (`\n`, or a space when folded).
    const lines: { start: number; length: number }[] = [];
    let pos = fileText.indexOf("\n", start) + 1;
    let indent = -1;
    while (pos > 0 && pos < end) {
      const nl = fileText.indexOf("\n", pos);
      const lineEnd = Math.min(nl === -1 ? fileText.length : nl, end);
      const line = fileText.slice(pos, lineEnd);
      if (indent === -1 && line.trim() !== "") indent = line.length - line.trimStart().length;
      const ind = Math.max(indent, 0);
      lines.push({ start: pos + Math.min(ind, line.length), length: Math.max(0, line.length - ind) });
      pos = lineEnd + 1;
    }
    const pieces: { valueOffset: number; fileOffset: number; length: number }[] = [];
    let valueOffset = 0;
    for (const l of lines) {
      // A value offset at a line's end (its line break) stays on that line, as before.
      pieces.push({ valueOffset, fileOffset: l.start, length: l.length });
      valueOffset += l.length + 1;
    }
    return pieces.length > 0 ? pieces : [{ valueOffset: 0, fileOffset: start, length: 0 }];
  }
  const quoted = type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE ? 1 : 0;
  return [{ valueOffset: 0, fileOffset: start + quoted, length: Math.max(0, end - start - quoted) }];
}
