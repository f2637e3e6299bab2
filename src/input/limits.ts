/**
 * How many bytes one input may hold. Rule files, stdin, `import` inputs and event files share
 * `--max-input-size`; the config file and template files, written by hand and small by nature,
 * share the lower `--max-config-size`.
 *
 * Measured (convert to all three targets, peak RSS): one 16 MiB rule file 431 MiB, one 64 MiB rule
 * file 1.5 GiB; a 16 MiB Kibana export (7,665 rules) 761 MiB, a 60 MiB one (28,734 rules) 2.5 GiB.
 * 64 MiB holds a Kibana export of every prebuilt Elastic rule several times over (the largest
 * single rule in the corpora is 295 KB) and still fits a CI runner's memory. A 1 MiB config (28,000
 * mapping rows) already takes seconds to parse.
 */
export const DEFAULT_MAX_INPUT_SIZE = 64 * 2 ** 20;
export const DEFAULT_MAX_CONFIG_SIZE = 2 ** 20;

/** No setting goes past this: a JavaScript string holds at most 512 Mi UTF-16 units. */
export const LARGEST_SIZE_SETTING = 256 * 2 ** 20;

const UNITS: Readonly<Record<string, number>> = { "": 1, b: 1, k: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gib: 2 ** 30 };

/** `64MiB`, `512k`, `1048576` → bytes; undefined for anything else, zero, or past the largest setting. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d{1,12})\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return n >= 1 && n <= LARGEST_SIZE_SETTING ? n : undefined;
}
