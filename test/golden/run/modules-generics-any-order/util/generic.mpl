pub struct Box<T> do
  value :: T
end deriving(Display)

# Polymorphic without annotations: the scheme crosses the module boundary.
pub fn pair_map(p, f) do
  let (a, b) = p
  (f(a), f(b))
end

pub fn describe<T>(b :: Box<T>) -> String where T: Display do
  "box of ${b.value} (${b})"
end

pub fn largest(xs) do
  List.reduce(xs, List.head(xs), fn acc, x -> if x > acc do x else acc end end)
end
