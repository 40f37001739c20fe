actor worker(n :: Int) do
  receive do
    x -> worker(n + x)
  end
end

supervisor S do
  child w do
    start: fn -> spawn(worker, 1) end
    shutdown: -5
  end
end

fn main() do
  spawn(S)
end
