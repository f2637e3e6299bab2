/**
 * How many bytes one input may hold. Rule files, stdin, `import` inputs and event files share
 * `--max-input-size`; the config file and template files, written by hand and small by nature,
 * share the lower `--max-config-size`. Measured (npm run bench, docs/limits.md): converting a
 * 64 MiB rule file peaks near 1.2 GiB of memory, so the default keeps a run on a CI runner, and a
 * Kibana export of every prebuilt Elastic rule (about 20 MiB) still fits three times over.
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
