# Service calls and sleeps inside the stages of a lazy iterator suspend only the process that pulls
# it, whichever operation pulls: every terminal operation, collect, `for … in`, a plain helper
# function, a closure, a function value, a pipeline built in one process and pulled in another.

service Counter do
  fn init(start :: Int) -> Int do
    start
  end

  call Bump() :: Int do |n|
    (n + 1, n + 1)
  end

  call Get() :: Int do |n|
    (n, n)
  end
end

fn bumped(c :: Pid, xs :: List<Int>) -> Iter<Int> do
  Iter.from(xs) |> Iter.map(fn x -> Counter.bump(c) * 0 + x end)
end

# pulls only: nothing in its own body suspends
fn total(it :: Iter<Int>) -> Int do
  Iter.sum(it)
end

fn first_even(it :: Iter<Int>) -> Option<Int> do
  Iter.find(it, fn x -> x % 2 == 0 end)
end

fn main() do
  let c = Counter.start(0)
  let xs = [1, 2, 3, 4]

  let n = Iter.from(xs) |> Iter.map(fn x -> Counter.bump(c) + x end) |> Iter.count()
  println("count ${n} bumps ${Counter.get(c)}")

  println("sum ${bumped(c, xs) |> Iter.sum()}")
  println("helper sum ${total(bumped(c, xs))}")
  println("collect ${bumped(c, xs) |> List.collect()}")
  println("set ${bumped(c, [1, 1, 2]) |> Set.collect() |> Set.size()}")
  println("string ${Iter.from(["a", "b"]) |> Iter.map(fn s -> "${s}${Counter.bump(c)}" end) |> String.collect()}")
  let m = Iter.from(["p", "q"]) |> Iter.map(fn k -> (k, Counter.bump(c)) end) |> Map.collect()
  println("map size ${Map.size(m)}")

  println("any ${bumped(c, xs) |> Iter.any(fn x -> x > 3 end)}")
  println("all ${bumped(c, xs) |> Iter.all(fn x -> Counter.get(c) > x end)}")
  println("find ${bumped(c, xs) |> Iter.find(fn x -> x > 2 end)}")
  println("helper find ${first_even(bumped(c, xs))}")
  println("reduce ${bumped(c, xs) |> Iter.reduce(0, fn acc, x -> acc + x * 10 end)}")

  let filtered = Iter.from(xs) |> Iter.filter(fn x do
    Timer.sleep(1)
    x % 2 == 1
  end)
  println("filter then take ${filtered |> Iter.take(5) |> List.collect()}")
  println("skip enumerate ${bumped(c, xs) |> Iter.skip(2) |> Iter.enumerate() |> List.collect()}")
  println("zip ${Iter.zip(bumped(c, [1, 2]), bumped(c, [7, 8, 9])) |> List.collect()}")

  let before = Counter.get(c)
  for x in bumped(c, xs) do
    println("for ${x}")
  end
  let squares = for x in bumped(c, xs) when x > 1 do
    x * x
  end
  println("for value ${squares} bumps ${Counter.get(c) - before}")

  let counter = Iter.count
  println("function value ${List.map([bumped(c, [1]), bumped(c, [1, 2])], counter)}")
  let pull = fn it -> Iter.sum(it) end
  println("closure ${pull(bumped(c, [5, 6]))}")

  # built here, pulled in another process
  let it = bumped(c, xs)
  let job = Job.async(fn -> Iter.count(it) end)
  println("pulled elsewhere ${Job.await(job)}")

  # a pipeline without suspending stages, pulled twice (single pass)
  let plain = Iter.from(xs) |> Iter.map(fn x -> x + 1 end)
  println("plain ${Iter.count(plain)} ${Iter.count(plain)}")
  println("bumps ${Counter.get(c)}")
end
