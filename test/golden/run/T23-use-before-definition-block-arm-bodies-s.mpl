fn main() do
  let a = log_and_score(Ok(21))
  let b = log_and_score(Err("nope"))
  println("${a + b} ${is_even(10)} ${is_odd(7)}")
  case a > b do
    true -> println("printed")
    false -> 0
  end
  println("done")
end

fn log_and_score(r :: Int!String) -> Int do
  case r do
    Ok(v) -> do
      println("got ${v}")
      v * 2
    end
    Err(e) -> do
      println("failed: ${e}")
      0
    end
  end
end

fn is_even(n :: Int) -> Bool = if n == 0 do true else is_odd(n - 1) end
fn is_odd(n :: Int) -> Bool = if n == 0 do false else is_even(n - 1) end
