fn pick(b :: Bool) do
  if b do 1 else "a" end
end

fn main() do
  println("${pick(true)}")
end
