actor hold(ms :: Int) do
  receive do
    _ -> 0
  after ms -> 0
  end
  println("beta peers at end ${List.length(Node.list())}")
end

fn main() do
  let _ = Node.start("beta@127.0.0.1:47221", "right-cookie")
  println("beta ready")
  spawn(hold, 2000)
end
