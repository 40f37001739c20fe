# Ping-pong benchmark: 1,000,000 round trips between two processes.

actor ponger() do
  let from = receive do
    p -> p
  end
  send(from, 1)
  ponger()
end

actor pinger(target :: Pid, left :: Int) do
  if left == 0 do
    println("done")
  else
    send(target, self())
    receive do
      _ -> pinger(target, left - 1)
    end
  end
end

fn main() do
  let p = spawn(ponger)
  spawn(pinger, p, 1000000)
end
