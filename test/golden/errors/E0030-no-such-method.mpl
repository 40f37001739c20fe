fn main() do
  println("${5.frobnicate()}")
end
