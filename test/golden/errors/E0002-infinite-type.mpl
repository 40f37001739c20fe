fn main() do
  let f = fn x -> x(x) end
  println("no")
end
