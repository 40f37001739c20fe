# expect: P0001
struct Tag do
  table tags
  id :: Int
end deriving(Schema)

fn main() do println("x") end
