fn main() do
  let _ = Node.start("alpha@127.0.0.1:47222", "wrong-cookie")
  let rc = Node.connect("beta@127.0.0.1:47221")
  println("connect ${rc}")
  println("peers ${List.length(Node.list())}")
end
