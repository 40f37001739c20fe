# Interface methods whose bodies compile to generators (they pull a lazy iterator, which is a
# suspension point, or call a service) work wherever they are called: Display in interpolation of
# generic values and inside lists and Eq inside List.contains (the runtime calls them without
# `yield*`), operators `==`, `<`, `>`, `<=`, `>=`, `+` and unary `-` (called with `yield*`, so an
# Add impl that calls a service suspends the caller).

service Rates do
  fn init(rate :: Int) -> Int do
    rate
  end

  call Rate() :: Int do |r|
    (r, r)
  end
end

struct Money do
  cents :: Int
  rates :: Pid
end

impl Add for Money do
  type Output = Money
  fn add(self, other :: Money) -> Money do
    Money { cents: self.cents + other.cents * Rates.rate(self.rates), rates: self.rates }
  end
end

impl Neg for Money do
  type Output = Money
  fn neg(self) -> Money do
    Money { cents: 0 - self.cents * Rates.rate(self.rates), rates: self.rates }
  end
end

struct Bag do
  items :: List<Int>
end

impl Display for Bag do
  fn to_string(self) -> String do
    let n = Iter.from(self.items) |> Iter.count()
    "Bag(${n})"
  end
end

impl Eq for Bag do
  fn eq(self, other :: Bag) -> Bool do
    let mine = Iter.from(self.items) |> Iter.sum()
    let theirs = Iter.from(other.items) |> Iter.sum()
    mine == theirs
  end
end

impl Ord for Bag do
  fn lt(self, other :: Bag) -> Bool do
    let mine = Iter.from(self.items) |> Iter.count()
    let theirs = Iter.from(other.items) |> Iter.count()
    mine < theirs
  end
end

fn show_all<T>(xs :: List<T>) -> String where T: Display do
  String.join(List.map(xs, fn x -> "${x}" end), ", ")
end

fn main() do
  let b = Bag { items: [1, 2, 3] }
  println("${b}")
  println(show_all([b, Bag { items: [] }]))
  println("${[b]}")
  println("${List.contains([Bag { items: [6] }], b)} ${b == Bag { items: [3, 3] }} ${b == Bag { items: [1] }}")
  let small = Bag { items: [9] }
  println("${small < b} ${small > b} ${small <= b} ${small >= b} ${b > small}")
  let r = Rates.start(2)
  let m = Money { cents: 5, rates: r } + Money { cents: 10, rates: r }
  let n = -m
  println("money ${m.cents} ${n.cents}")
end
