service Counter do
  fn init(n :: Int) -> Int do
    n
  end

  call Get() :: Int do |n|
    (n, n)
  end

  cast Add(k :: Int) do |n|
    n + k
  end
end
