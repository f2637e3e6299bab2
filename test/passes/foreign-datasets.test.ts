/**
 * Another product's data sets ORed in beside a rule's own events (Zeek's, in Elastic's network
 * rules) are left out of the Sigma rule, which has one log source, and a warning names each; never
 * under a NOT (that would widen), and not where the search is about those data sets alone.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Query } from "../../src/ir/query.js";
import { ecsToSigma } from "../../src/mapping/mapping-table.js";
import { dropForeignDatasets } from "../../src/passes/foreign-datasets.js";
import { parseKql } from "../../src/query/kql/kql-parser.js";
import { printKql } from "../../src/query/kql/kql-printer.js";

const ROWS = ecsToSigma().foreignDatasets ?? [];

function drop(kql: string) {
  const parsed = parseKql(kql);
  if (!parsed.ok) throw new Error("fixture does not parse");
  const r = dropForeignDatasets(parsed.value as Query, ROWS);
  return { text: printKql(r.query).text, problems: r.problems };
}

test("the mapping lists Zeek's data sets as another product's", () => {
  assert.ok(ROWS.some((r) => r.datasets.includes("zeek.*")));
});

test("a Zeek data set ORed beside a port is left out, with a warning that names it", () => {
  const r = drop("network.transport:tcp and (destination.port:3389 or data_stream.dataset:zeek.rdp)");
  assert.not.match(r.text, "zeek");
  assert.match(r.text, "destination.port");
  assert.equal(r.problems.map((p) => p.code), ["mapping/logsource-narrowed"]);
  assert.match(r.problems[0]!.message, "`data_stream.dataset:zeek.rdp` is left out");
});

test("in the source conjunct too (`data_stream.dataset:(network_traffic.flow or zeek.connection) or event.category:network`)", () => {
  const r = drop("(data_stream.dataset:(network_traffic.flow or zeek.connection) or event.category:network) and destination.port:4500");
  assert.not.match(r.text, "zeek");
  assert.match(r.text, "network_traffic.flow");
  assert.equal(r.problems.length, 1);
});

test("never under a NOT, and not in a search about Zeek alone, nor an OR of nothing else", () => {
  for (const q of [
    "destination.port:53 and not (event.duration > 6 and (event.action:flow_terminated or data_stream.dataset:zeek.connection))",
    "data_stream.dataset:zeek.rdp and (destination.port:3389 or event.dataset:zeek.connection)",
    "(data_stream.dataset:zeek.rdp or event.dataset:zeek.connection) and destination.port:3389",
  ]) {
    const r = drop(q);
    assert.equal(r.problems, [], q);
    assert.match(r.text, "zeek", q);
  }
});

test.run();
