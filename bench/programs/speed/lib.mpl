# Generated-code speed benchmarks: each function is called from bench/run.ts and timed against
# the same algorithm hand-written in JavaScript (bench/baseline-js.ts).

pub fn fib(n :: Int) -> Int do
  if n < 2 do n else fib(n - 1) + fib(n - 2) end
end

pub fn sum_to(n :: Int, acc :: Int) -> Int do
  if n == 0 do acc else sum_to(n - 1, acc + n) end
end

pub fn build_string(n :: Int) -> Int do
  let parts = for i in 0..n do
    "item-${i};"
  end
  String.length(String.join(parts, ""))
end
