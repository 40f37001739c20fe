fn noisy(tag :: String, v :: Bool) -> Bool do
  println("eval ${tag}")
  v
end

fn main() do
  let a = true
  let b = false
  println("${a and not b} ${a && b} ${b or a} ${!a || b} ${not true == false}")
  let r1 = noisy("L", false) and noisy("R", true)
  let r2 = noisy("X", true) or noisy("Y", true)
  println("${r1} ${r2}")
end
