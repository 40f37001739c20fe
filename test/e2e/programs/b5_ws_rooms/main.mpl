# Appendix B5 (stdlib.md): WebSocket rooms.
# The program is the spec's, except that the port comes from the environment (PORT, default
# 18603) so the test can pick a free one.

fn on_connect(conn, path, headers) do
  if String.starts_with(path, "/rooms/") do
    let room = String.slice(path, 7, String.length(path))
    let _ = Ws.join(conn, room)
    let _ = Ws.send(conn, "joined " <> room <> " ua=" <> Map.get(headers, "user-agent"))
    conn
  else
    0
  end
end

fn on_message(conn, msg) do
  let parts = String.split(msg, ":")
  let text = String.join(List.drop(parts, 1), ":")
  let _ = Ws.broadcast_except(List.head(parts), text, conn)
  let _ = Ws.send(conn, "sent")
  println("relayed " <> text)
end

fn on_close(conn, code, reason) do
  println("closed ${code} [" <> reason <> "]")
end

fn port_from_env(default_port :: Int) -> Int do
  case Env.get("PORT") do
    Some(text) -> case String.to_int(text) do
      Some(n) -> n
      None -> default_port
    end
    None -> default_port
  end
end

fn main() do
  Ws.serve(on_connect, on_message, on_close, port_from_env(18603))
end
