# expect: E0030
struct Plain do
  id :: Int
end
fn g() do
  Plain.__table__()
end

fn main() do println("x") end
