type Cmd do
  Fail
  Cut
end

actor fragile_remote() do
  receive do
    Fail -> panic("remote failure")
    Cut -> 0
  end
end

fn cut(peer :: String) -> Int do
  let rc = Node.disconnect(peer)
  println("b cut ${peer}: ${rc}")
  0
end

actor cutter(peer :: String) do
  let _ = receive do
    Cut -> cut(peer)
    Fail -> 0
  end
  Timer.sleep(100)
  println("cutter still alive")
end

actor b_idle(a_name :: String) do
  let _ = Node.monitor(a_name)
  println("b ready")
  receive do
    NodeUp(_) -> 0
  after 5000 -> 0
  end
  receive do
    NodeDown(_) -> println("b: a disconnected")
  after 5000 -> println("b: a still here")
  end
end

fn main() do
  let _ = Node.start("b@127.0.0.1:47241", "k4")
  spawn(b_idle, "a@127.0.0.1:47242")
end
