type Color do
  Red
  Green
end

fn main() do
  let c = Red
  let n = case c do
    Purple -> 1
    _ -> 2
  end
  println("${n}")
end
