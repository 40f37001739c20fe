fn f(a) = a

fn main() do
  println("${f(1, 2)}")
end
