# T30b — E0012: Amber is not covered
type Light do
  Red
  Amber
  Green
end

fn main() do
  let n = case Red do
    Red -> 1
    Green -> 2
  end
  println("${n}")
end
