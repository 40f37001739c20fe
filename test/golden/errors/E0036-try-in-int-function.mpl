fn g() -> Int!String = Ok(1)

fn f() -> Int do
  g()?
end

fn main() do
  println("${f()}")
end
