# Global-name races for the fault tests. Environment: NAME, COOKIE, CONNECT (comma-separated),
# PEERS (cluster size - 1), LEAD ("1" on one node). Before starting the node, this node
# registers "early" for one of its processes (so the nodes conflict when their tables sync). Each
# node registers its `starter` as "go_<node name>"; once the leading node sees the whole cluster
# it sends every starter the same wall-clock moment (now + 1 s), and at that moment all nodes
# register "leader" for one of their processes, their announcements crossing on the wire. A
# second later each asks each name's owner for its node name: "winner <name> <node>".
type Ask do
  Who(Pid)
  Me(String)
  Go(Int)
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
  after 60000 -> false
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

fn await_peers(n :: Int) -> Int do
  if List.length(Node.list()) >= n do
    0
  else
    Timer.sleep(1)
    await_peers(n)
  end
end

fn await_name(name :: String) -> Pid do
  let p = Global.whereis(name)
  if p != 0 do
    p
  else
    Timer.sleep(2)
    await_name(name)
  end
end

fn go_all(nodes :: List<String>, at :: Int) -> Int do
  case nodes do
    n :: rest -> go_one(n, rest, at)
    _ -> 0
  end
end

fn go_one(n :: String, rest :: List<String>, at :: Int) -> Int do
  send(await_name("go_" <> n), Go(at))
  go_all(rest, at)
end

actor starter() do
  receive do
    Go(at) -> race_at(at)
  after 20000 -> println("no go")
  end
end

fn race_at(at :: Int) -> Int do
  let wait = at - Time.now_ms()
  let _ = if wait > 0 do Timer.sleep(wait) else println("late by ${0 - wait} ms") end
  let leader = Global.register("leader", spawn(claimant))
  Timer.sleep(1000)
  let _ = spawn(ask, "early")
  let _ = spawn(ask, "leader")
  println("registered leader locally: ${leader == 0}")
  0
end

fn main() do
  let early = Global.register("early", spawn(claimant))
  println("early ${early}")
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  println("start ${rc}")
  let _ = Global.register("go_" <> Node.self(), spawn(starter))
  let _ = connect_all(words(env("CONNECT", "")))
  println("ready")
  if env("LEAD", "") == "1" do
    let _ = await_peers(to_int(env("PEERS", "0")))
    let _ = go_all(List.append(Node.list(), Node.self()), Time.now_ms() + 1000)
    0
  else
    0
  end
end
