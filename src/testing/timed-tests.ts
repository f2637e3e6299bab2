/**
 * `rulecast test` with a time limit per rule. A rule's regular expressions are its meaning and
 * run as written; a backtracking one (`^(a+)+$` against `aaaa…b`) can hold the run for hours, and
 * a pull request that adds such a rule would stall the CI that tests it. Each rule is evaluated on
 * a worker thread while this thread waits on a shared counter; past the limit the worker is
 * stopped (V8 interrupts a running regular expression), the rule fails with a reason, and the next
 * rule gets a fresh worker. Results are the ones the evaluator gives on this thread.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Rule } from "../ir/rule.js";
import type { RuleTest } from "./check-samples.js";
import type { TestReply, TestWorkerSetup } from "./test-worker.js";

export const DEFAULT_RULE_SECONDS = 10;

export class TimedTests {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private replies = 0;

  constructor(
    private readonly seconds: number,
    private readonly events?: readonly Record<string, unknown>[],
    private readonly expect?: "match" | "no-match",
  ) {}

  run(rule: Rule): RuleTest {
    const port = this.start();
    port.postMessage(rule);
    const deadline = Date.now() + this.seconds * 1000;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, this.replies, left) === "timed-out") break;
      const got = receiveMessageOnPort(port);
      if (!got) continue;
      this.replies++;
      const reply = got.message as TestReply;
      if ("crashed" in reply) return { rule, verdicts: [], error: reply.crashed, passed: false, ...(this.events ? { fileLevel: true } : {}) };
      return { rule, ...reply };
    }
    this.stop();
    return {
      rule,
      verdicts: [],
      error: `evaluating its events took longer than ${this.seconds} s and was stopped (a regular expression that backtracks, or a very large stream); --rule-timeout sets the limit`,
      passed: false,
      ...(this.events ? { fileLevel: true } : {}),
    };
  }

  /** Ends the worker; the run can exit. */
  close(): void {
    this.stop();
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    Atomics.store(this.flag, 0, 0);
    this.replies = 0;
    const setup: TestWorkerSetup = { port: port2, flag: this.flag, ...(this.events ? { events: this.events } : {}), ...(this.expect ? { expect: this.expect } : {}) };
    this.worker = new Worker(new URL("./test-worker.js", import.meta.url), { workerData: setup, transferList: [port2] });
    this.port = port1;
    return port1;
  }

  private stop(): void {
    // terminate() stops the thread at its next interrupt check, a running regex included; its promise is not awaited.
    void this.worker?.terminate();
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
  }
}
