type TallyMsg do
  Add(Int)
  Report
end

actor tally(total :: Int) do
  receive do
    Add(n) -> tally(total + n)
    Report -> println("total=${total}")
  end
end

actor relay(left :: Int, hops :: Int) do
  if left == 0 do
    println("hops: ${hops}")
  else
    send(self(), left - 1)
    receive do
      k -> relay(k, hops + 1)
    end
  end
end

fn main() do
  let t = spawn(tally, 100)
  send(t, Add(5))
  send(t, Add(20))
  send(t, Report)
  send(t, Add(1))
  spawn(relay, 300000, 0)
  println("sent")
end
