# A first program: run it with `npx meshc run examples/hello`.
fn greet(name :: String) -> String do
  "Hello, ${name}!"
end

fn main() do
  println(greet("Mesh"))
end
