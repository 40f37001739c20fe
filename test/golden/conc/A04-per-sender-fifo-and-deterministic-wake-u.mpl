fn note(n :: Int) -> Int do
  println("collected ${n}")
  n
end

actor collector(left :: Int) do
  let _ = receive do
    n -> note(n)
  end
  if left > 1 do collector(left - 1) else println("collector done") end
end

actor burst(target, base :: Int) do
  send(target, base + 1)
  send(target, base + 2)
  send(target, base + 3)
end

fn main() do
  let c = spawn(collector, 6)
  spawn(burst, c, 10)
  spawn(burst, c, 20)
end
