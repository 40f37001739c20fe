# Timers that fall due together (the node was held up by a long library call) fire in deadline
# order, and what the earlier one's process starts runs before the later one fires (decision 86).
actor quiet() do
  receive do
  after 100 -> println("quiet: timeout after 100 ms")
  end
end

fn hog() -> () do
  # one long synchronous library call: no process switch happens inside it
  let xs = Range.map(Range.new(0, 600000), fn i -> (i * 7919) % 600000 end)
  let sorted = List.sort(xs, fn(a, b) -> a - b end)
  let _ = List.length(sorted)
  ()
end

fn main() do
  spawn(quiet)
  spawn(hog)
  Timer.sleep(10)
  println("main: woke after 10 ms")
  spawn(fn -> println("spawned by main after its sleep") end)
end
