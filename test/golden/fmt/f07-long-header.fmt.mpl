pub fn register(
  name :: String,
  age :: Int,
  email :: String,
  password_hash :: String,
  created :: Int
) -> User!String do
  Ok(User { name: name, age: age })
end

fn main do
  println("hi")
end
