struct AppError do
  code :: Int
  reason :: String
end

impl From<String> for AppError do
  fn from(msg :: String) -> AppError do AppError { code: 400, reason: msg } end
end

fn need_positive(n :: Int) -> Int!String do
  if n > 0 do Ok(n) else Err("not positive: ${n}") end
end

fn handler(n :: Int) -> Int!AppError do
  let v = need_positive(n)?
  Ok(v * 100)
end

fn show(r :: Int!AppError) -> String do
  case r do
    Ok(v) -> "ok ${v}"
    Err(e) -> "error ${e.code} ${e.reason}"
  end
end

fn main() do
  println(show(handler(4)))
  println(show(handler(-1)))
end
