/**
 * Windows event JSON (the evtx-to-JSON shape of the Sigma regression data: `Event.System`,
 * `Event.EventData`) flattened to the top-level names Sigma rules use.
 *
 * - EventData: a map of names to values, or `Data` entries `{"#attributes":{"Name":n},"#text":v}`
 *   (also `{"@Name":n, "#text":v}`), each becomes key `n`; unnamed `Data` values are kept under `Data`.
 *   UserData's innermost fields are flattened the same way.
 * - System: scalar fields keep their name (`EventID`, `Channel`, `Computer`, `Level`...); a value with
 *   `#text` (`EventID` with Qualifiers) is its text; attributes of nested elements are joined with
 *   `_` (`Provider_Name`, `Provider_Guid`, `TimeCreated_SystemTime`, `Execution_ProcessID`,
 *   `Security_UserID`), the names Zircolite and Chainsaw use for Sigma matching.
 * - A data name with spaces, as Windows Defender writes them (`Threat Name`, `Process Name`,
 *   `Source Name`), is the name without them (`ThreatName`), as Sigma's Windows rules spell it.
 * An event without an `Event` wrapper is taken as the `Event` object itself. EventData names win
 * over System names on a clash (rules name the event's own fields far more often).
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function flattenWindowsEvent(e: Record<string, unknown>): Record<string, unknown> {
  const ev = isObj(e["Event"]) ? e["Event"] : e;
  const out: Obj = {};
  if (isObj(ev["System"])) flattenSystem(ev["System"], "", out);
  for (const section of ["UserData", "EventData"]) {
    const data = ev[section];
    if (isObj(data)) flattenData(data, out);
  }
  return out;
}

function flattenSystem(node: Obj, prefix: string, out: Obj): void {
  for (const [k, v] of Object.entries(node)) {
    if (k === "#attributes" && isObj(v)) {
      for (const [ak, av] of Object.entries(v)) put(out, prefix ? `${prefix}_${ak}` : ak, av);
      continue;
    }
    if (k === "#text") {
      if (prefix) put(out, prefix, v);
      continue;
    }
    const name = prefix ? `${prefix}_${k}` : k;
    if (isObj(v)) flattenSystem(v, name, out);
    else put(out, name, v);
  }
}

function flattenData(data: Obj, out: Obj): void {
  for (const [k, v] of Object.entries(data)) {
    if (k === "#attributes") continue;
    if (k === "Data" && (Array.isArray(v) || isObj(v))) {
      for (const entry of Array.isArray(v) ? v : [v]) addDataEntry(entry, out);
    } else if (isObj(v) && !("#text" in v)) flattenData(v, out); // UserData: <Wrapper><Field>..</Field></Wrapper>
    else put(out, sigmaName(k), isObj(v) ? v["#text"] : v);
  }
}

function addDataEntry(entry: unknown, out: Obj): void {
  if (!isObj(entry)) {
    pushUnnamed(entry, out);
    return;
  }
  const attrs = isObj(entry["#attributes"]) ? entry["#attributes"] : {};
  const name = attrs["Name"] ?? entry["@Name"] ?? entry["Name"];
  const value = "#text" in entry ? entry["#text"] : null;
  if (typeof name === "string") put(out, sigmaName(name), value);
  else pushUnnamed(value, out);
}

function sigmaName(name: string): string {
  return name.replace(/\s+/g, "");
}

function pushUnnamed(v: unknown, out: Obj): void {
  const prev = out["Data"];
  out["Data"] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
}

/** Field names come from event files: `__proto__` must be a field, not the object's prototype. */
function put(out: Obj, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
