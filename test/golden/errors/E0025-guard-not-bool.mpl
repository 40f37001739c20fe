fn main() do
  let n = case 3 do
    x when x + 1 -> x
    _ -> 0
  end
  println("${n}")
end
