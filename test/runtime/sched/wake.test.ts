// Scheduler.wake (scheduler.ts): only the event a process waits for wakes it (a message does not
// end a sleep or a pending service call).
import { describe, expect, it } from "vitest";
import { receive, send, sleep, startService, serviceCall, type ServiceDef } from "../../../runtime/sched/index.js";
import { any, harness, type G } from "./helpers.js";

describe("Scheduler.wake", () => {
  it("a message does not end a sleep or a pending call; the awaited event does", () => {
    const h = harness();
    const log: string[] = [];
    const Slow: ServiceDef = {
      name: "Slow",
      init: (n: number) => n,
      calls: {
        *Get(n: number): G {
          yield* sleep(10); // the reply comes 10 ms later
          return [n, n];
        },
      },
      casts: {},
    };
    h.s.spawn(function* (): G {
      const me = h.s.spawn(function* (): G {
        yield* sleep(5);
        log.push(`slept until ${h.clock.now()}`);
        const svc = yield* startService(Slow, [7]);
        const v = yield* serviceCall(svc, "Slow", "Get", []);
        log.push(`reply ${v} at ${h.clock.now()}`);
        log.push(`then mailbox ${yield* receive(any, 0)}`);
      });
      send(me, "poke"); // arrives while it sleeps: must not wake it early
      yield* sleep(7);
      send(me, "poke again"); // arrives while it waits for the reply
    });
    h.s.advance(20);
    expect(log).toEqual(["slept until 5", "reply 7 at 15", "then mailbox poke"]);
    expect(h.err).toEqual([]);
  });
});
