# Two nodes connecting to each other at the same moment (concurrency.md §7.4 duplicates).
# Environment: NAME, COOKIE, TARGET (the other node), GOFILE. Prints "ready" once it monitors
# TARGET, then polls for GOFILE (written by the test once both nodes are ready) holding a
# wall-clock time in ms; at that moment it calls Node.connect(TARGET) and prints the result.
# NodeUp/NodeDown events for TARGET are printed as they come; 1.5 s after connecting it prints
# how many nodes it is connected to, then stays up one more second (so the other side's last
# lines never see this node go away).
type Ctl do
  Report
end

fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

fn await_file(path :: String) -> Int do
  if File.exists(path) do
    case File.read(path) do
      Ok(text) -> parse_at(path, text)
      Err(_) -> retry(path)
    end
  else
    retry(path)
  end
end

fn parse_at(path :: String, text :: String) -> Int do
  case String.to_int(text) do
    Some(at) -> at
    None -> retry(path)
  end
end

fn retry(path :: String) -> Int do
  Timer.sleep(1)
  await_file(path)
end

actor connector(target :: String, gofile :: String, events :: Pid) do
  let at = await_file(gofile)
  let wait = at - Time.now_ms()
  let _ = if wait > 0 do Timer.sleep(wait) else println("late by ${0 - wait} ms") end
  let rc = Node.connect(target)
  println("connect ${rc}")
  Timer.sleep(1500)
  send(events, Report)
end

actor events(target :: String, first :: Bool) do
  let _ = if first do start(target) else 0 end
  receive do
    NodeUp(n) -> events(print_event("up", n), false)
    NodeDown(n) -> events(print_event("down", n), false)
    Report -> linger()
  after 20000 -> println("no report")
  end
end

fn start(target :: String) -> Int do
  let _ = Node.monitor(target)
  let _ = spawn(connector, target, env("GOFILE", ""), Process.self())
  println("ready")
  0
end

fn print_event(what :: String, n :: String) -> String do
  println("${what} ${n}")
  n
end

fn linger() -> Int do
  println("peers ${List.length(Node.list())}")
  Timer.sleep(1000)
  0
end

fn main() do
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  println("start ${rc}")
  spawn(events, env("TARGET", ""), true)
end
