fn pair_up<T>(x :: T) -> (T, T) = (x, x)

fn show_all<T>(xs :: List<T>) -> String where T: Display do
  reduce(xs, "", fn acc, x -> acc <> "<${x}>" end)
end

fn add(a, b) = a + b

fn main() do
  let id = fn x -> x end
  println("${id(5)} ${id("five")} ${pair_up(1)} ${pair_up("a")}")
  println(show_all([1, 2]) <> show_all(["p", "q"]) <> " ${add(2, 3)} ${add(0.5, 0.25)}")
end
