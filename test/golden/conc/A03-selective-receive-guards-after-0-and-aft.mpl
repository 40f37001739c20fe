fn leftover(n :: Int) -> Bool do
  println("left over: ${n}")
  true
end

fn got(n :: Int) -> String do
  "got ${n}"
end

actor picky(phase :: Int) do
  if phase == 0 do
    let big = receive do
      n when n > 10 -> n
    end
    println("first big: ${big}")
    picky(1)
  else
    let more = receive do
      n -> leftover(n)
    after 0 -> false
    end
    if more do picky(1) else println("mailbox empty") end
  end
end

actor waiter(label :: String) do
  let r = receive do
    n -> got(n)
  after 30 -> "timed out"
  end
  println("${label} ${r}")
end

fn main() do
  let p = spawn(picky, 0)
  send(p, 3)
  send(p, 50)
  send(p, 4)
  send(p, 70)
  spawn(waiter, "a")
  let b = spawn(waiter, "b")
  send(b, 9)
  println("main done")
end
