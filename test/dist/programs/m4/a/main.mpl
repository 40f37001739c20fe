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

actor driver(b :: String) do
  let _ = Process.trap_exit(true)
  let f = Node.spawn_link(b, fragile_remote)
  send(f, Fail)
  receive do
    Exit(_, why) -> println("linked remote exited: ${why}")
  after 3000 -> println("no exit signal")
  end
  let c = Node.spawn(b, cutter, Node.self())
  let _ = Process.monitor(c)
  send(c, Cut)
  receive do
    Down(_, _, why) -> println("monitor says: ${why}")
  after 3000 -> println("no down")
  end
  println("peers left ${List.length(Node.list())}")
end

fn main() do
  let _ = Node.start("a@127.0.0.1:47242", "k4")
  let rc = Node.connect("b@127.0.0.1:47241")
  println("connect ${rc}")
  spawn(driver, "b@127.0.0.1:47241")
end
