struct Bag do
  xs :: List<Int>
end

impl Iterable for Bag do
  type Item = Int
  fn iter(self) -> Iter<Int> do
    Iter.from(self.xs)
  end
end

fn main() do
  println("${Bag { xs: [1] }.xs}")
end
