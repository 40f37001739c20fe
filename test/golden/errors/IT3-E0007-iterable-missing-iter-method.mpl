struct Bag do
  xs :: List<Int>
end

impl Iterable for Bag do
  type Item = Int
  type Iter = Iter<Int>
end

fn main() do
  println("${Bag { xs: [1] }.xs}")
end
