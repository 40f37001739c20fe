fn main() do
  let = 5
  println("x")
end
