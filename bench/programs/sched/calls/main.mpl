# Service call benchmark: one client makes 1,000,000 synchronous calls to one service.

service Counter do
  fn init(n :: Int) -> Int do
    n
  end
  call Add(k :: Int) :: Int do |s|
    (s + k, s + k)
  end
end

fn call_loop(svc :: Pid, i :: Int, n :: Int) -> Int do
  if i == n do
    Counter.add(svc, 0)
  else
    Counter.add(svc, 1)
    call_loop(svc, i + 1, n)
  end
end

fn main() do
  let svc = Counter.start(0)
  let total = call_loop(svc, 0, 1000000)
  println("calls ${total}")
end
