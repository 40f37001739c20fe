# The real peer of the node under attack: connects to TARGET and pings its global "echo" every
# 50 ms, printing "pong <n> intruder=<bool>"; "lost <node>" if the session ever drops.
type Probe do
  Ping(Pid, Int)
  Pong(Int, Bool)
end

fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

actor pinger(target :: String, k :: Int) do
  let _ = if k == 1 do setup(target) else 0 end
  send(Global.whereis("echo"), Ping(self(), k))
  let ok = receive do
    Pong(n, intruder) -> report(n, k, intruder)
    NodeDown(node) -> lost(node)
  after 3000 -> lost("timeout")
  end
  Timer.sleep(50)
  if ok do pinger(target, k + 1) else 0 end
end

fn setup(target :: String) -> Int do
  let _ = Node.monitor(target)
  let rc = Node.connect(target)
  println("peer connected ${rc} ${Global.whereis("echo") != 0}")
  0
end

fn report(n :: Int, k :: Int, intruder :: Bool) -> Bool do
  println("pong ${n} intruder=${intruder}")
  n == k
end

fn lost(why :: String) -> Bool do
  println("lost ${why}")
  false
end

fn main() do
  let _ = Node.start(env("NAME", ""), env("COOKIE", ""))
  spawn(pinger, env("TARGET", ""), 1)
end
