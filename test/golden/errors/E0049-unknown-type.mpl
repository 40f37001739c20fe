fn f(x :: Strng) -> Int = 1

fn main() do
  let xs :: List<Int, Int> = []
  println("${f("a")}")
end
