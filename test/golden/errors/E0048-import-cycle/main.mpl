import A

fn main() do
  println("${A.a()}")
end
