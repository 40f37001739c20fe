# expect: E0014
actor plus_one() do
  receive do
    n -> println("${n + 1}")
  end
end

fn main() do
  let p = spawn(plus_one)
  send(p, "seven")
end
