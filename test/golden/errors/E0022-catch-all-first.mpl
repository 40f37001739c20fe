fn f(n) = n
fn f(0) = 0

fn main() do
  println("${f(1)}")
end
