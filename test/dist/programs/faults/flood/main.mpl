# Output overflow (concurrency.md §7.3: 64 MiB of unsent output closes the connection).
# Environment: NAME, COOKIE, TARGET (a node owning the global name "g_b"). Connects, then in one
# scheduler turn sends 100,000 messages of 1 KiB (about 100 MiB) to g_b: the connection must be
# closed with "output overflow" (NodeDown), the sender must not crash (later sends are dropped),
# and a new Node.connect must work again.
fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

fn grow(s :: String, n :: Int) -> String do
  if String.length(s) >= n do s else grow(s <> s, n) end
end

fn flood(to :: Pid, chunk :: String, n :: Int) -> Int do
  if n == 0 do
    0
  else
    send(to, chunk)
    flood(to, chunk, n - 1)
  end
end

actor main_actor(target :: String) do
  let _ = Node.monitor(target)
  let rc = Node.connect(target)
  println("connect ${rc}")
  let _ = flood(Global.whereis("g_b"), grow("x", 1024), 100000)
  println("sent")
  receive do
    NodeDown(n) -> println("down ${n}")
  after 5000 -> println("no down")
  end
  let again = Node.connect(target)
  println("reconnect ${again} peers ${List.length(Node.list())}")
end

fn main() do
  let _ = Node.start(env("NAME", ""), env("COOKIE", ""))
  spawn(main_actor, env("TARGET", ""))
end
