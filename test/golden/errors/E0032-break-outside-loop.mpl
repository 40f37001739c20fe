fn f() do
  break
end

fn main() do
  f()
end
