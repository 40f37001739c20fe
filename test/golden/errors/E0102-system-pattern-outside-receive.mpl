fn f(m) do
  case m do
    Down(r, p, reason) -> reason
    _ -> "other"
  end
end

fn main() do
  println("x")
end
