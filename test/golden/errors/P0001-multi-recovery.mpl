fn first() do
  let x = (1 +
end

fn second() -> Int do
  2 * * 3
end

fn main() do
  println("still parsed")
  if do end
end
