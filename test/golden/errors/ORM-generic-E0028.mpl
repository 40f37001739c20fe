# expect: E0028
struct Box<T> do
  v :: T
end deriving(Schema)

fn main() do println("x") end
