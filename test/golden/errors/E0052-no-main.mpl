fn start() do
  println("x")
end
