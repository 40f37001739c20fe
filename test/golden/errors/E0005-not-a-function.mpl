fn main() do
  let n = 1
  println("${n(2)}")
end
