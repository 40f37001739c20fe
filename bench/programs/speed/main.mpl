from Lib import fib

fn main() do
  println("${fib(20)}")
end
