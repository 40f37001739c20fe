fn main() do
  println("${y + 1}")
end
