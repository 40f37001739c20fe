# Distribution benchmark, serving node (bench/dist-bench.ts). Environment: NAME, COOKIE.
# Registers three global names: "pong" (answers Ping with Pong), "sink" (counts Msg, answers
# AckReq with the count and restarts counting) and "counter" (a service with one call).
type Bench do
  Ping(Pid)
  Pong
  Msg(Int)
  AckReq(Pid)
  Ack(Int)
  Done(Int)
end

service Counter do
  fn init() -> Int do
    0
  end
  call Add(n :: Int) :: Int do |total|
    (total + n, total + n)
  end
end

fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

fn reply_pong(from :: Pid) -> Bool do
  send(from, Pong)
  true
end

actor pong() do
  let again = receive do
    Ping(from) -> reply_pong(from)
  after 600000 -> false
  end
  if again do pong() else 0 end
end

fn ack(from :: Pid, k :: Int) -> Int do
  send(from, Ack(k))
  0
end

actor sink(k :: Int) do
  receive do
    Msg(_) -> sink(k + 1)
    AckReq(from) -> sink(ack(from, k))
  after 600000 -> 0
  end
end

fn main() do
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  let a = Global.register("pong", spawn(pong))
  let b = Global.register("sink", spawn(sink, 0))
  let c = Global.register("counter", Counter.start())
  println("start ${rc} ${a} ${b} ${c}")
  println("b ready")
end
