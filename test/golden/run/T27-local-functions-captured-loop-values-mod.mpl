let limit = 3
let weights = [5, 1, 4, 2, 3]

fn nothing() do
  nil
end

fn main() do
  let x = 1
  let x = x + 1
  fn scale(y :: Int) -> Int do
    y * x
  end
  let adders = for i in 1..4 do
    fn(n) -> n + i end
  end
  println("${x} ${scale(5)} ${map(adders, fn f -> f(10) end)}")
  let light = for w in weights when w <= limit do
    w * 10
  end
  let v = (List.new() :: List<Int>)
  println("${light} ${List.length(v)} ${nothing()} ${()}")
end
