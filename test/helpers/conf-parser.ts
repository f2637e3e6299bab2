/**
 * A reader for savedsearches.conf as Splunk reads it (test oracle): `[stanza]`, `key = value`,
 * `#` comments, and a trailing backslash continuing the value with the newline kept.
 */
export type Conf = Map<string, Map<string, string>>;

export function parseConf(text: string): Conf {
  const conf: Conf = new Map();
  let current = new Map<string, string>();
  conf.set("default", current);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const stanza = /^\[(.*)\]$/.exec(trimmed);
    if (stanza) {
      if (conf.has(stanza[1]!)) throw new Error(`duplicate stanza [${stanza[1]}]`);
      current = new Map();
      conf.set(stanza[1]!, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`line ${i + 1} is not key = value: ${line}`);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    while (value.endsWith("\\")) {
      value = value.slice(0, -1) + "\n" + (lines[++i] ?? "");
    }
    if (current.has(key)) throw new Error(`key ${key} repeated`);
    current.set(key, value.trim());
  }
  return conf;
}
