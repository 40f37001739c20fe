fn main() do
  println("before")
  let xs = [1, 2]
  let n = List.get(xs, 5)
  println("after ${n}")
end
