fn digit("0") = Some(0)
fn digit("1") = Some(1)
fn digit("2") = Some(2)
fn digit(_) = None

fn add_digits(a :: String, b :: String) -> Int? do
  let x = digit(a)?
  let y = digit(b)?
  Some(x + y)
end

fn checked_div(a :: Int, b :: Int) -> Int!String do
  if b == 0 do
    return Err("div by zero")
  end
  Ok(a / b)
end

fn ratio_sum(a :: Int, b :: Int, c :: Int) -> Int!String do
  Ok(checked_div(a, b)? + checked_div(a, c)?)
end

fn main() do
  println("${add_digits("1", "2")} ${add_digits("1", "x")}")
  println("${ratio_sum(12, 3, 4)} ${ratio_sum(12, 0, 4)} ${[Some(1), None]}")
end
