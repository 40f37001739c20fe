fn main() do
  let x :: Int = "a"
  println("${x}")
end
