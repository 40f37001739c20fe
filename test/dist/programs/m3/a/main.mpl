type Reply do
  Squared(Int, String)
end

actor square_server(n :: Int, reply_to) do
  println("square_server got ${n} on ${Node.self()}")
  send(reply_to, Squared(n * n, Node.self()))
end

fn only_on_a() do
  println("only on a")
end

actor requester(target :: String) do
  let missing = Node.spawn(target, only_on_a)
  println("missing function gives null: ${missing == 0}")
  let remote = Node.spawn(target, square_server, 12, self())
  println("remote pid is null: ${remote == 0}")
  receive do
    Squared(v, origin) -> println("got ${v} from ${origin}")
  after 3000 -> println("no reply")
  end
end

fn main() do
  let _ = Node.start("a@127.0.0.1:47232", "k3")
  let rc = Node.connect("b@127.0.0.1:47231")
  println("connect ${rc}")
  spawn(requester, "b@127.0.0.1:47231")
end
