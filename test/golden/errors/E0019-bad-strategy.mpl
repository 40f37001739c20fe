actor worker(n :: Int) do
  receive do
    x -> worker(n + x)
  end
end

supervisor S do
  strategy: all_for_none
  child w do
    start: fn -> spawn(worker, 1) end
  end
end

fn main() do
  spawn(S)
end
