# Distribution benchmark, measuring node (bench/dist-bench.ts). Environment: NAME, COOKIE,
# SERVER (the serving node), REPS, N_PINGPONG, N_ONEWAY, N_CALLS. Each repetition runs
# ping-pong (N round trips), one-way (N sends, then one AckReq answered with the count) and N
# service calls against the server's global names; run 0 is a warm-up. Prints
# "RUN <shape> <n> <ms>" per measured run (Time.monotonic_ms), then "done".
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

fn env_int(name :: String, default :: Int) -> Int do
  case String.to_int(env(name, "")) do
    Some(n) -> n
    None -> default
  end
end

actor pinger(p :: Pid, n :: Int, parent :: Pid, t0 :: Int) do
  if n == 0 do
    send(parent, Done(Time.monotonic_ms() - t0))
  else
    send(p, Ping(self()))
    receive do
      Pong -> pinger(p, n - 1, parent, t0)
    end
  end
end

fn blast(s :: Pid, n :: Int) -> Int do
  if n == 0 do
    0
  else
    send(s, Msg(n))
    blast(s, n - 1)
  end
end

actor sender(s :: Pid, n :: Int, parent :: Pid) do
  let t0 = Time.monotonic_ms()
  let _ = blast(s, n)
  send(s, AckReq(self()))
  receive do
    Ack(k) -> if k == n do send(parent, Done(Time.monotonic_ms() - t0)) else send(parent, Done(0 - k)) end
  end
end

actor caller(c :: Pid, n :: Int, parent :: Pid, t0 :: Int) do
  if n == 0 do
    send(parent, Done(Time.monotonic_ms() - t0))
  else
    let _ = Counter.add(c, 1)
    caller(c, n - 1, parent, t0)
  end
end

fn report(shape :: String, i :: Int, n :: Int, ms :: Int) -> Int do
  if i == 0 do println("WARM ${shape} ${n} ${ms}") else println("RUN ${shape} ${n} ${ms}") end
  0
end

actor conductor(i :: Int) do
  let reps = env_int("REPS", 3)
  let np = env_int("N_PINGPONG", 100000)
  let no = env_int("N_ONEWAY", 100000)
  let nc = env_int("N_CALLS", 10000)
  let _ = spawn(pinger, Global.whereis("pong"), np, self(), Time.monotonic_ms())
  let _ = receive do
    Done(ms) -> report("pingpong", i, np, ms)
  end
  let _ = spawn(sender, Global.whereis("sink"), no, self())
  let _ = receive do
    Done(ms) -> report("oneway", i, no, ms)
  end
  let _ = spawn(caller, Global.whereis("counter"), nc, self(), Time.monotonic_ms())
  let _ = receive do
    Done(ms) -> report("calls", i, nc, ms)
  end
  if i < reps do conductor(i + 1) else println("done") end
end

fn main() do
  let _ = Node.start(env("NAME", ""), env("COOKIE", ""))
  let rc = Node.connect(env("SERVER", ""))
  println("connect ${rc}")
  spawn(conductor, 0)
end
