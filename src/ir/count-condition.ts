/** Whether a count satisfies a correlation's bound (`gte 5`, `eq 0`, ...). */
import type { CountCondition } from "./query.js";

export function countHolds(c: CountCondition, n: number): boolean {
  switch (c.op) {
    case "gt":
      return n > c.value;
    case "gte":
      return n >= c.value;
    case "lt":
      return n < c.value;
    case "lte":
      return n <= c.value;
    case "eq":
      return n === c.value;
    case "neq":
      return n !== c.value;
  }
}

/** Whether a count satisfies every bound (an empty list holds for any count). */
export function allHold(conditions: readonly CountCondition[], n: number): boolean {
  return conditions.every((c) => countHolds(c, n));
}
