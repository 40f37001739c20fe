fn main() do
  let a = 3.0
  println("${a} ${a / 2.0} ${2.5e-3} ${1.0e21} ${0.1 + 0.2}")
  println("${-0.0} ${1.0 / 3.0} ${7.5 % 2.0} ${Float.from(42)} ${-3.5}")
  println(String.from(12.0 * 3.5) <> " " <> 1.25.to_string())
end
