# The node under attack in the hostile-input test. Environment: NAME, COOKIE. It prints the pid
# of `sink`, a process that reports every message it ever receives (the test addresses it from
# unauthenticated sockets: nothing may arrive), and serves `echo` (global name "echo") to its
# real peer; each Pong also says whether anyone managed to register the name "intruder".
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

actor sink() do
  receive do
    _ -> println("sink got a message")
  after 300000 -> 0
  end
  sink()
end

fn answer(from :: Pid, tag :: Int) -> Bool do
  send(from, Pong(tag, Global.whereis("intruder") != 0))
  true
end

actor echo() do
  let again = receive do
    Ping(from, tag) -> answer(from, tag)
  after 300000 -> false
  end
  if again do echo() else 0 end
end

fn main() do
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  let s = spawn(sink)
  let e = spawn(echo)
  let g = Global.register("echo", e)
  println("sink ${s}")
  println("target ready ${rc} ${g}")
end
