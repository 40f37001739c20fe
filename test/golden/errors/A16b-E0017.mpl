# expect: E0017
fn wait_any() -> Int do
  receive do
    n -> n
  end
end

fn main() do
  println("${wait_any()}")
end
