fn main() do
  println("${9007199254740992}")
end
