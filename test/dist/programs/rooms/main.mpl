# Cluster-wide WebSocket rooms (concurrency.md §6.9) between two OS processes. Environment:
# NAME, COOKIE, CONNECT ("" = none), WS_PORT. A client connecting to /rooms/<room> joins <room>
# on this node; a text "<room>:<text>" is broadcast to <room> on every node of the cluster.
fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

fn on_connect(conn, path, headers) do
  let room = String.slice(path, 7, String.length(path))
  let _ = Ws.join(conn, room)
  let _ = Ws.send(conn, "joined " <> room <> " on " <> Node.self())
  conn
end

fn on_message(conn, msg) do
  let parts = String.split(msg, ":")
  let text = String.join(List.drop(parts, 1), ":")
  let failures = Ws.broadcast(List.head(parts), text)
  println("broadcast " <> text <> " failures ${failures}")
end

fn on_close(conn, code, reason) do
  println("closed ${code}")
end

fn port() -> Int do
  case String.to_int(env("WS_PORT", "")) do
    Some(n) -> n
    None -> 0
  end
end

fn main() do
  let rc = Node.start(env("NAME", ""), env("COOKIE", ""))
  println("start ${rc}")
  let target = env("CONNECT", "")
  let _ = if target == "" do 0 else Node.connect(target) end
  println("nodes ${List.length(Node.list())}")
  Ws.serve(on_connect, on_message, on_close, port())
end
