actor wait_for_alpha(alpha :: String) do
  let _ = Node.monitor(alpha)
  println("beta ready")
  receive do
    NodeUp(name) -> println("beta: ${name} joined")
  after 5000 -> println("beta: nobody came")
  end
  receive do
    NodeDown(name) -> println("beta: ${name} left")
  after 5000 -> println("beta: still connected")
  end
end

fn main() do
  let rc = Node.start("beta@127.0.0.1:47211", "s3cret")
  println("beta start ${rc}")
  spawn(wait_for_alpha, "alpha@127.0.0.1:47212")
end
