# T30c — E0036: `?` inside a function returning Int
fn parse(s :: String) -> Int!String = if s == "1" do Ok(1) else Err("bad") end

fn twice(s :: String) -> Int do
  let v = parse(s)?
  v * 2
end

fn main() do
  println("${twice("1")}")
end
