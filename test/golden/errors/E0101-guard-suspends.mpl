service Gate do
  fn init() -> Bool do
    true
  end

  call Open() :: Bool do |s|
    (s, s)
  end
end

actor waiter(g) do
  receive do
    n when Gate.open(g) -> println("${n}")
  end
end

fn main() do
  let g = Gate.start()
  let p = spawn(waiter, g)
  send(p, 1)
end
