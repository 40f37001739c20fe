# Associated types in interface impls for iterators: a user Iterator (next returns Option) and
# user collections implementing Iterable with both `Item` and `Iter`, iterated by `for ... in`.
struct ListIterator do
  items :: Iter<Int>
end

impl Iterator for ListIterator do
  type Item = Int
  fn next(self) -> Option<Int> do
    Iter.find(self.items, fn _ -> true end)
  end
end

struct EvenNumbers do
  upto :: Int
end

impl Iterable for EvenNumbers do
  type Item = Int
  type Iter = ListIterator
  fn iter(self) -> ListIterator do
    ListIterator { items: Iter.from(for x in 0..self.upto when x % 2 == 0 do x end) }
  end
end

struct Words do
  text :: String
end

impl Iterable for Words do
  type Item = String
  type Iter = Iter<String>
  fn iter(self) -> Iter<String> do
    Iter.from(String.split(self.text, " "))
  end
end

fn total(xs :: EvenNumbers) -> Int do
  List.reduce(for x in xs do x end, 0, fn(a, x) -> a + x end)
end

fn main() do
  for x in EvenNumbers { upto: 7 } do
    println("even ${x}")
  end
  let squares = for x in ListIterator { items: Iter.from([1, 2, 3]) } do x * x end
  println("${squares}")
  let long = for w in Words { text: "the quick brown fox" } when String.length(w) > 3 do String.to_upper(w) end
  println("${long}")
  println("total ${total(EvenNumbers { upto: 10 })}")
  println("empty ${for x in EvenNumbers { upto: 0 } do x end}")
  let it = EvenNumbers { upto: 5 }.iter()
  println("${it.next()} ${it.next()} ${it.next()} ${it.next()}")
end
