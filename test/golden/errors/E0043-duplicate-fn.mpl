fn helper() = 1
fn main() do
  println("${helper()}")
end
fn helper() = 2
