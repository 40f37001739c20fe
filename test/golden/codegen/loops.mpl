# for/while with filters, break/continue, closures capturing loop values, shadowing.
fn main() do
  let x = 1
  let x = x + 1
  let picked = for n in [10, 20, 30, 40, 50] when n != 30 do
    if n == 20 do
      continue
    end
    if n == 50 do
      break
    end
    n + x
  end
  let adders = for i in 1..4 do
    fn(n) -> n + i end
  end
  let m = %{"a" => 1, "b" => 2}
  let pairs = for {k, v} in m do "${k}=${v}" end
  println("${picked} ${map(adders, fn f -> f(10) end)} ${pairs}")
  while true do
    println("once")
    break
  end
end
