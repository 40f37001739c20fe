fn main() do
  let squares = for i in 1..5 do
    i * i
  end
  let evens = for x in [3, 4, 5, 6, 7, 8] when x % 2 == 0 do
    x
  end
  println("${squares} ${evens}")
  let m = %{"b" => 2, "a" => 1, "c" => 3}
  let pairs = for {k, v} in m do
    "${k}=${v}"
  end
  let keys = for k in m do
    k
  end
  println("${pairs} ${keys}")
  let picked = for x in [10, 20, 30, 40, 50] do
    if x == 20 do
      continue
    end
    if x == 40 do
      break
    end
    x + 1
  end
  println("${picked}")
  for n in 0..3 do
    print("${n};")
  end
  println("")
end
