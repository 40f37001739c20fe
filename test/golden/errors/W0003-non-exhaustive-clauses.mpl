fn f(0) = 1

fn main() do
  println("${f(0)}")
end
