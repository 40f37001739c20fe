struct Money do cents :: Int end deriving(Eq)

impl Add for Money do
  type Output = Money
  fn add(self, other :: Money) -> Money do Money { cents: self.cents + other.cents } end
end

impl Neg for Money do
  type Output = Money
  fn neg(self) -> Money do Money { cents: 0 - self.cents } end
end

impl Display for Money do
  fn to_string(self) -> String do "${self.cents}c" end
end

interface Container do
  type Item
  fn first(self) -> Self.Item
end

struct Shelf do books :: List<String> end

impl Container for Shelf do
  type Item = String
  fn first(self) -> String do List.head(self.books) end
end

fn main() do
  let a = Money { cents: 250 }
  let b = Money { cents: 130 }
  println("${a + b} ${-a} ${a + b == Money { cents: 380 }}")
  println(Shelf { books: ["Dune", "Emma"] }.first())
end
