fn f(0) = 0
fn g() = 1
fn f(n) = n

fn main() do
  println("${f(1)} ${g()}")
end
