fn main() do
  let a = 7.0 / 2.0
  println("${a}")
  println(String.from(10.0))
  println(String.from(0.1 + 0.2))
  println("${Float.to_int(-3.9)} ${Float.to_int(3.9)}")
  println("${Math.round(2.5)} ${Math.round(-2.5)} ${Math.round(0.49)}")
  println("${Math.floor(-1.5)} ${Math.ceil(-1.5)}")
  println("${Int.to_float(3)} ${Math.sqrt(2.25)} ${Math.pow(2.0, 10.0)}")
  println("${Int.to_float(1000000000000000) * 10.0}")
  println("${1.0 / 10000000.0}")
  println("${Math.max(3, 9)} ${Math.min(-1.5, 2.0)} ${Math.abs(-8)}")
end
