fn describe(v :: (Int, String)) -> String do
  case v do
    (0, _) -> "zero"
    (n, "neg") when n < 0 -> "negative tagged"
    (1, s) | (2, s) -> "small ${s}"
    (n, s) -> "other ${n} ${s}"
  end
end

fn main() do
  println(describe((0, "x")) <> "; " <> describe((-5, "neg")))
  println(describe((2, "two")) <> "; " <> describe((-5, "pos")))
  let code = case "beta" do
    "alpha" -> 1
    "beta" -> 2
    _ -> 0
  end
  println("${code}")
end
