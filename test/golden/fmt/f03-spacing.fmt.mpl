fn id<T>(x :: T) -> T = x

fn f(xs :: List<Int>, m :: Map<String, Int>) -> Int do
  let t = (1, 2)
  let a = -x + !ok
  let b = not ok
  let c = 0..10
  let d = xs[0] + p.x + risky()?
  let e = %{p | y: 5}
  let g = %{"a" => 1}
  let h = Point {}
  let i = []
  let j = ()
  let k = (a + b) * c
  let m2 = f(name: "Ann", age: 3)
  let atom = :ok
  case xs do
    [] -> 0
    h :: t when h > 0 -> h
    Some(x) | None as y -> 1
    _ -> 0xFF_FF + 1.5E3
  end
end

impl Display for Point where T: Display do
  fn to_string(self) -> String = "p"
end
