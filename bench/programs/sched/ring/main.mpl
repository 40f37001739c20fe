# Ring benchmark: 1,000 processes pass one token around 1,000 times (1,000,000 messages).
# `head` builds the ring (the other nodes are chained back to it), then forwards like the rest.

actor node(next :: Pid, driver :: Pid) do
  let m = receive do
    k -> k
  end
  if m == 0 do
    send(driver, 0)
  else
    send(next, m - 1)
    node(next, driver)
  end
end

fn build(target :: Pid, k :: Int, driver :: Pid) -> Pid do
  if k == 0 do target else build(spawn(node, target, driver), k - 1, driver) end
end

actor head(next :: Pid, driver :: Pid, n :: Int, total :: Int) do
  if n > 0 do
    let nx = build(self(), n - 1, driver)
    send(nx, total)
    head(nx, driver, 0, total)
  else
    let m = receive do
      k -> k
    end
    if m == 0 do
      send(driver, 0)
    else
      send(next, m - 1)
      head(next, driver, 0, total)
    end
  end
end

actor driver(n :: Int, laps :: Int) do
  spawn(head, self(), self(), n, n * laps)
  receive do
    _ -> println("done")
  end
end

fn main() do
  spawn(driver, 1000, 1000)
end
