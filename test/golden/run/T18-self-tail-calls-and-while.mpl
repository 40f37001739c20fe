fn count_down(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count_down(n - 1, acc + 2)
  end
end

fn main() do
  println("${count_down(1000000, 0)}")
  while true do
    println("once")
    break
  end
  while false do
    println("never")
  end
  println("after")
end
