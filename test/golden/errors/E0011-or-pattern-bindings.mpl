fn main() do
  let opt = Some(1)
  let n = case opt do
    Some(x) | None -> x
  end
  println("${n}")
end
