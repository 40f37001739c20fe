fn main() do
  let a = [1, 2, 3,]; let b = f(a, b,); println("x")
  let p = Point { x: 1, y: 2, }
end
from Mod import a, b,
