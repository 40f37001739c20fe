fn main() do
  let opt = Some(1)
  let Some(x) = opt
  println("${x}")
end
