fn main() do
  let opt = Some(3)
  let n = case opt do
    Some(x) -> x
  end
  println("${n}")
end
