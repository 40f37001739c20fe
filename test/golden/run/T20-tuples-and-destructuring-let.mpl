fn min_max(xs :: List<Int>) -> (Int, Int) do
  let lo = reduce(xs, head(xs), fn acc, x -> if x < acc do x else acc end end)
  let hi = reduce(xs, head(xs), fn acc, x -> if x > acc do x else acc end end)
  (lo, hi)
end

fn main() do
  let (lo, hi) = min_max([4, -2, 9, 0])
  let ((a, b), c) = ((1, 2), "c")
  println("${lo}..${hi} ${a + b}${c} ${(1, "one", true)}")
end
