struct Rec do
  tags :: List<String>
end deriving(Row)

fn main() do
  println("x")
end
