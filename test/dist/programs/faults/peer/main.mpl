# A cluster member for the fault tests, configured by the environment:
#   NAME, COOKIE   node name and cookie
#   GNAME          global name registered for this node's echo process ("" = none)
#   WATCH          comma-separated node names to Node.monitor
#   CONNECT        comma-separated node names to connect to, in order
#   VICTIM, GCHECK on NodeUp(VICTIM): wait for GCHECK to appear, print "sees GCHECK"; if it now
#                  names a different pid than before (the victim restarted), check the old pid
#                  is dead (monitor -> noproc, a send to it is dropped) and the new one answers.
# Events are printed one per line: "up <node>", "down <node> <GCHECK>=<present|absent>".
type Probe do
  Ping(Pid, Int)
  Pong(Int, String)
end

fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

fn words(s :: String) -> List<String> do
  if s == "" do [] else String.split(s, ",") end
end

fn answer(from :: Pid, tag :: Int) -> Bool do
  send(from, Pong(tag, Node.self()))
  true
end

actor echo() do
  let again = receive do
    Ping(from, tag) -> answer(from, tag)
  after 60000 -> false
  end
  if again do echo() else 0 end
end

fn monitor_all(names :: List<String>) -> Int do
  case names do
    n :: rest -> monitor_one(n, rest)
    _ -> 0
  end
end

fn monitor_one(n :: String, rest :: List<String>) -> Int do
  let _ = Node.monitor(n)
  monitor_all(rest)
end

fn connect_all(names :: List<String>) -> Int do
  case names do
    n :: rest -> connect_one(n, rest)
    _ -> 0
  end
end

fn connect_one(n :: String, rest :: List<String>) -> Int do
  let rc = Node.connect(n)
  println("connect ${n} ${rc}")
  connect_all(rest)
end

fn presence(name :: String) -> String do
  if Global.whereis(name) == 0 do "absent" else "present" end
end

fn await_name(name :: String, tries :: Int) -> Pid do
  let p = Global.whereis(name)
  if p != 0 do
    p
  else
    if tries == 0 do
      p
    else
      Timer.sleep(20)
      await_name(name, tries - 1)
    end
  end
end

actor check_restart(old :: Pid, new :: Pid) do
  let _ = Process.monitor(old)
  receive do
    Down(_, _, why) -> println("old pid down: ${why}")
  after 3000 -> println("old pid: no down")
  end
  send(old, Ping(self(), 1))
  send(new, Ping(self(), 2))
  receive do
    Pong(tag, from) -> println("pong ${tag} from ${from}")
  after 3000 -> println("no pong")
  end
end

fn on_up(n :: String, victim :: String, gcheck :: String, known :: Pid) -> Pid do
  println("up ${n}")
  if n == victim do
    let p = await_name(gcheck, 150)
    if p == 0 do
      println("no ${gcheck}")
      known
    else
      println("sees ${gcheck}")
      let _ = if known != 0 do spawn(check_restart, known, p) else known end
      p
    end
  else
    known
  end
end

fn on_down(n :: String, gcheck :: String) -> Int do
  if gcheck == "" do
    println("down ${n}")
  else
    println("down ${n} ${gcheck}=${presence(gcheck)}")
  end
  0
end

fn report(name :: String) -> Int do
  println("check ${name}=${presence(name)}")
  0
end

fn boot() -> Int do
  let _ = monitor_all(words(env("WATCH", "")))
  let _ = connect_all(words(env("CONNECT", "")))
  let gcheck = env("GCHECK", "")
  let _ = if gcheck == "" do 0 else report(gcheck) end
  println("ready")
  0
end

actor events(first :: Bool, victim :: String, gcheck :: String, known :: Pid) do
  let _ = if first do boot() else 0 end
  receive do
    NodeUp(n) -> events(false, victim, gcheck, on_up(n, victim, gcheck, known))
    NodeDown(n) -> events(false, victim, gcheck, if on_down(n, gcheck) == 0 do known else known end)
  after 60000 -> println("idle")
  end
end

fn main() do
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  println("start ${rc}")
  let gname = env("GNAME", "")
  let _ = if gname == "" do 0 else Global.register(gname, spawn(echo)) end
  spawn(events, true, env("VICTIM", ""), env("GCHECK", ""), Global.whereis(""))
end
