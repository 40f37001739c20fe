fn main() do
  println("${self()}")
end
