service Counter do
  call Get() :: Int do |n|
    (n, n)
  end
end

fn main() do
  println("x")
end
