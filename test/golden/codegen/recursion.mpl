# Multi-clause dispatch, guards, self tail calls as loops, argument swaps.
fn fib(0) = 0
fn fib(1) = 1
fn fib(n) = fib(n - 1) + fib(n - 2)

fn count_down(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count_down(n - 1, acc + 2)
  end
end

fn gcd(a :: Int, 0) = a
fn gcd(a :: Int, b :: Int) = gcd(b, a % b)

fn classify(n) when n < 0 = "negative"
fn classify(0) = "zero"
fn classify(_) = "positive"

fn main() do
  println("${fib(20)} ${count_down(1000000, 0)} ${gcd(48, 18)} ${classify(-3)}")
end
