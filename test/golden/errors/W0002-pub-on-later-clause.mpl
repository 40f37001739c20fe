fn f(0) = 0
pub fn f(n) = n

fn main() do
  println("${f(2)}")
end
