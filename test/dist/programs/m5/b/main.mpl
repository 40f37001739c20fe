type Ctl do
  Stop
end

service Ledger do
  fn init() -> Int do
    0
  end
  cast Deposit(n :: Int) do |total|
    total + n
  end
  call Balance() :: Int do |total|
    (total, total)
  end
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

actor temp_b() do
  receive do
    Stop -> 0
  after 5000 -> 0
  end
end

fn main() do
  let _ = Node.start("b@127.0.0.1:47251", "k5")
  let led = Ledger.start()
  let rc = Global.register("ledger", led)
  let rc2 = Global.register("temp_b", spawn(temp_b))
  println("registered ${rc} ${rc2}")
  spawn(b_idle, "a@127.0.0.1:47252")
end
