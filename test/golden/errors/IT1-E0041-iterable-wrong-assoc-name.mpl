struct Bag do
  xs :: List<Int>
end

impl Iterable for Bag do
  type Item = Int
  type Iterator = Iter<Int>
  fn iter(self) -> Iter<Int> do
    Iter.from(self.xs)
  end
end

fn main() do
  for x in Bag { xs: [1] } do
    println("${x}")
  end
end
