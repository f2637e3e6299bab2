/**
 * The thread `rulecast test` evaluates rules on (timed-tests.ts): a rule's own regular
 * expressions run as written, and one that backtracks can take hours on a short sample, which
 * only stopping the thread ends. Each reply is posted, then the shared flag is set, so the main
 * thread (waiting on the flag) finds it with `receiveMessageOnPort`.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import type { Rule } from "../ir/rule.js";
import { testEventFile, testSamples, type RuleTest } from "./check-samples.js";

export interface TestWorkerSetup {
  readonly port: MessagePort;
  /** [0]: the number of replies posted so far. */
  readonly flag: Int32Array;
  readonly events?: readonly Record<string, unknown>[];
  readonly expect?: "match" | "no-match";
}

export type TestReply = Omit<RuleTest, "rule"> | { readonly crashed: string };

const setup = workerData as TestWorkerSetup;

setup.port.on("message", (rule: Rule) => {
  let reply: TestReply;
  try {
    const { rule: _rule, ...result } = setup.events && setup.expect ? testEventFile(rule, setup.events, setup.expect) : testSamples(rule);
    reply = result;
  } catch (e) {
    reply = { crashed: e instanceof Error ? e.message : String(e) };
  }
  setup.port.postMessage(reply);
  Atomics.add(setup.flag, 0, 1);
  Atomics.notify(setup.flag, 0);
});
