actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
  println("after")
  let _ = counter(n)
  0
end

fn main() do
  let p = spawn(counter, 0)
  send(p, 1)
end
