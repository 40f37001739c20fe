# A suspending callback (a service call, a sleep) handed to any library function that calls it
# during the call suspends only the caller: List and prelude HOFs, sort comparators, Range,
# callbacks that are named functions, local functions and function values, HOFs called from a
# plain-looking helper, and a suspending callback nested inside another library callback.

service Store do
  fn init(weights :: Map<String, Int>) -> Map<String, Int> do
    weights
  end

  call Weight(k :: String) :: Int do |m|
    (m, Map.get(m, k))
  end
end

fn weigh(s :: Pid, k :: String) -> Int do
  Store.weight(s, k)
end

fn heaviest_first(s :: Pid, ks :: List<String>) -> List<String> do
  List.sort(ks, fn a, b -> weigh(s, b) - weigh(s, a) end)
end

fn main() do
  let s = Store.start(%{"a" => 3, "b" => 1, "c" => 2, "d" => 5})
  let ks = ["a", "b", "c", "d"]

  println("sort ${List.sort(ks, fn a, b -> Store.weight(s, a) - Store.weight(s, b) end)}")
  println("helper sort ${heaviest_first(s, ks)}")
  println("map ${List.map(ks, fn k -> weigh(s, k) end)}")
  println("filter ${List.filter(ks, fn k -> weigh(s, k) > 2 end)}")
  println("reduce ${List.reduce(ks, 0, fn acc, k -> acc + weigh(s, k) end)}")
  println("find ${List.find(ks, fn k -> weigh(s, k) == 2 end)}")
  println("any ${List.any(ks, fn k -> weigh(s, k) > 4 end)} all ${List.all(ks, fn k -> weigh(s, k) > 1 end)}")
  println("flat_map ${List.flat_map(ks, fn k -> [k, "${weigh(s, k)}"] end)}")
  println("prelude ${map(ks, fn k -> weigh(s, k) end)} ${filter(ks, fn k -> weigh(s, k) < 3 end)} ${reduce(ks, 1, fn acc, k -> acc * weigh(s, k) end)}")
  println("range ${Range.map(0..3, fn i -> i + weigh(s, "c") end)} ${Range.filter(0..8, fn i -> i > weigh(s, "d") end)}")

  fn slow_double(x :: Int) -> Int do
    Timer.sleep(1)
    x * 2
  end
  println("local fn ${List.map([1, 2, 3], slow_double)}")
  # Timer.sleep itself as the callback: main really sleeps, so the job wakes and prints first
  let ticker = Job.async(fn do
    Timer.sleep(1)
    println("ticker woke")
  end)
  let naps = List.map([5], Timer.sleep)
  println("library function value: slept ${List.length(naps)} time(s)")
  Job.await(ticker)
  let f = fn k -> weigh(s, k) * 100 end
  println("function value ${List.map(ks, f)}")
  println("nested ${List.map([["a", "b"], ["c", "d"]], fn group -> List.map(group, fn k -> weigh(s, k) end) end)}")
  println("sorted by lazy weights ${Iter.from(ks) |> Iter.map(fn k -> (weigh(s, k), k) end) |> List.collect() |> List.sort(fn a, b -> Tuple.first(a) - Tuple.first(b) end)}")
end
