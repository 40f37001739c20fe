// Node-down processing (concurrency.md §6.6): when the session with node N is lost, everything
// that depended on it is settled at once, with no process running in between — global names,
// links, monitors, pending calls and spawns, Node.monitor registrations — in the spec's order.
import { signal } from "../sched/exits.js";
import { SysDown, SysNodeDown } from "../sched/messages.js";
import type { Connection } from "./connection.js";
import type { DistNode } from "./node.js";

export function nodeDown(node: DistNode, c: Connection, reason: string): void {
  const s = node.sched;
  const name = c.peerName;
  node.log(`connection to ${name} closed: ${reason}`);
  // 1. global names owned by N
  node.global.dropNode(name);
  // monitors that N's processes hold on local processes are void now
  node.remote.dropIncoming(c);
  const procs = [...s.live.values()];
  // 2. exit signals for links to N's processes
  for (const p of procs) {
    const links = p.ext?.links;
    if (links === null || links === undefined || links.size === 0) continue;
    for (const l of [...links]) {
      if (l.node.local || l.node.name !== name) continue;
      links.delete(l);
      signal(s, p, l, "noconnection", false);
    }
  }
  // 3. monitors of N's processes
  for (const p of procs) {
    const mons = p.ext?.monitors;
    if (mons === null || mons === undefined || mons.size === 0) continue;
    for (const [ref, m] of [...mons]) {
      if (m.target.node.local || m.target.node.name !== name) continue;
      mons.delete(ref);
      s.deliver(p, new SysDown(ref, m.target, "noconnection"));
    }
  }
  // 4. pending calls fail, pending spawns return the null pid
  node.remote.failPending(c);
  // 5. Node.monitor registrations
  for (const p of node.monitorsOf(name)) s.deliver(p, new SysNodeDown(name));
}
