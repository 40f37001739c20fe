fn main() do
  let n = case 3 do
    _ -> 0
    1 -> 1
  end
  println("${n}")
end
