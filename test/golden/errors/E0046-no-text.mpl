fn main() do
  println("${fn x -> x end}")
end
