from Vault import secret

fn main() do
  println(secret())
end
