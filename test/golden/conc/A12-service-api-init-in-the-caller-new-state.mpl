service Inventory do
  fn init(initial :: Int) -> Int do
    println("init ${initial} in ${Process.self()}")
    initial
  end
  call StockLevel() :: Int do |n|
    (n, n)
  end
  call TakeItems(k :: Int) :: Bool do |n|
    if k <= n do (n - k, true) else (n, false) end
  end
  cast Restock(k :: Int) do |n|
    n + k
  end
  call ReadHTTPStatus() :: Int do |n|
    (n, 200 + n)
  end
end

fn main() do
  let inv = Inventory.start(5)
  let other = Inventory.start(1)
  println("level ${Inventory.stock_level(inv)}")
  println("take 3: ${Inventory.take_items(inv, 3)}")
  println("take 4: ${Inventory.take_items(inv, 4)}")
  Inventory.restock(inv, 10)
  Inventory.restock(other, 1)
  let lvl = Inventory.stock_level(inv)
  let lvl2 = Inventory.stock_level(other)
  println("level ${lvl}, other ${lvl2}, other pid ${other}")
  println("status ${Inventory.read_h_t_t_p_status(inv)}")
end
