fn slow_square(n :: Int) -> Int do
  Timer.sleep(10)
  n * n
end

fn explode() -> Int do
  panic("job blew up")
end

fn describe(r :: Int!String) -> String do
  case r do
    Ok(v) -> "ok ${v}"
    Err(e) -> "err ${e}"
  end
end

fn main() do
  let j = Job.async(fn -> slow_square(7) end)
  println(describe(Job.await(j)))
  let bad = Job.async(fn -> explode() end)
  println(describe(Job.await(bad)))
  let slow = Job.async(fn -> slow_square(3) end)
  println(describe(Job.await_timeout(slow, 1)))
  println(describe(Job.await(slow)))
  let rs = Job.map([1, 2, 3], fn x -> x * 10 end)
  println(describe(List.get(rs, 0)))
  println(describe(List.get(rs, 2)))
end
