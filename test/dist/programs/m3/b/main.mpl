type Reply do
  Squared(Int, String)
end

actor square_server(n :: Int, reply_to) do
  println("square_server got ${n} on ${Node.self()}")
  send(reply_to, Squared(n * n, Node.self()))
end

actor b_idle(a_name :: String) do
  let _ = Node.monitor(a_name)
  println("b ready")
  receive do
    NodeUp(_) -> 0
  after 5000 -> 0
  end
  receive do
    NodeDown(_) -> println("b: a disconnected")
  after 5000 -> println("b: a still here")
  end
end

fn main() do
  let _ = Node.start("b@127.0.0.1:47231", "k3")
  spawn(b_idle, "a@127.0.0.1:47232")
end
