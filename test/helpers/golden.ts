/**
 * Golden files: compared byte for byte, shown as a unified diff on mismatch, and rewritten only
 * when UPDATE_GOLDEN=1 is set.
 */
import { createTwoFilesPatch } from "diff";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function expectGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing; run with UPDATE_GOLDEN=1 and read the result`);
  }
  const expected = readFileSync(path, "utf8");
  if (expected !== actual) {
    const patch = createTwoFilesPatch(`${path} (golden)`, `${path} (actual)`, expected, actual, "", "", { context: 3 });
    throw new Error(`golden mismatch for ${path}\n${patch}`);
  }
}
