# expect: E0018
supervisor BadSup do
  child label do
    start: fn -> "not a pid" end
  end
end

fn main() do
  spawn(BadSup)
end
