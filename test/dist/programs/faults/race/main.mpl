# Global-name races for the fault tests. Environment: NAME, COOKIE, CONNECT (comma-separated),
# AT (wall-clock ms since the epoch). Before starting the node, this node registers "early" for
# one of its processes (so the nodes conflict when their tables sync); once connected it sleeps
# until AT and registers "leader" at the same moment as the other nodes; a second later it asks
# each name's owner for its node name and prints "winner <name> <node>".
type Ask do
  Who(Pid)
  Me(String)
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

fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(n) -> n
    None -> 0
  end
end

fn answer(from :: Pid) -> Bool do
  send(from, Me(Node.self()))
  true
end

actor claimant() do
  let again = receive do
    Who(from) -> answer(from)
  after 6000 -> false
  end
  if again do claimant() else 0 end
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

actor ask(name :: String) do
  let w = Global.whereis(name)
  if w == 0 do
    println("winner ${name} none")
  else
    send(w, Who(self()))
    receive do
      Me(node) -> println("winner ${name} ${node}")
    after 3000 -> println("winner ${name} silent")
    end
  end
end

fn main() do
  let early = Global.register("early", spawn(claimant))
  println("early ${early}")
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  println("start ${rc}")
  let _ = connect_all(words(env("CONNECT", "")))
  println("ready")
  let wait = to_int(env("AT", "0")) - Time.now_ms()
  if wait < 0 do println("late by ${0 - wait} ms") else Timer.sleep(wait) end
  let leader = Global.register("leader", spawn(claimant))
  Timer.sleep(1000)
  let _ = spawn(ask, "early")
  let _ = spawn(ask, "leader")
  println("registered leader locally: ${leader == 0}")
end
