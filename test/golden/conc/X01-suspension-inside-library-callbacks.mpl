service Counter do
  fn init(start :: Int) -> Int do
    start
  end

  call Get() :: Int do |n|
    (n, n)
  end

  cast Add(k :: Int) do |n|
    n + k
  end
end

fn main() do
  let a = Counter.start(1)
  let b = Counter.start(10)
  Counter.add(a, 4)
  let got = List.map([a, b], fn p -> Counter.get(p) end)
  let slept = List.map([1, 2, 3], fn x do
    Timer.sleep(x)
    x * 2
  end)
  println("${got} ${slept}")
end
