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

actor leaker(target) do
  send(target, fn -> 1 end)
  println("leaker: unreachable")
end

actor a_main() do
  let led = Global.whereis("ledger")
  println("ledger found: ${led != 0}")
  Ledger.deposit(led, 5)
  Ledger.deposit(led, 7)
  println("balance ${Ledger.balance(led)}")
  let dup = Global.register("ledger", Process.self())
  println("duplicate register ${dup}")
  let t = Global.whereis("temp_b")
  let _ = Process.monitor(t)
  send(t, Stop)
  receive do
    Down(_, _, why) -> println("temp_b down: ${why}")
  end
  let gone = Global.whereis("temp_b")
  println("temp_b name gone: ${gone == 0}")
  let l = spawn(leaker, led)
  let _ = Process.monitor(l)
  receive do
    Down(_, _, why) -> println("leaker down: ${why}")
  end
end

fn main() do
  let _ = Node.start("a@127.0.0.1:47252", "k5")
  let rc = Node.connect("b@127.0.0.1:47251")
  println("connect ${rc}")
  spawn(a_main)
end
