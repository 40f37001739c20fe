# WebSocket callbacks that fail (stdlib.md §20.1): a panicking on_connect closes with 1011 and
# runs no on_close; a panicking on_message closes with 1011 "internal error" and on_close gets
# (conn, 1011, "internal error"); handles are dead (-1) once on_close runs. PORT sets the port.

fn on_connect(conn, path, headers) do
  if path == "/boom" do
    panic("connect boom")
  else
    let _ = Ws.send(conn, "hello unknown=${Ws.send(999999, "x")}")
    conn
  end
end

fn on_message(conn, msg) do
  if msg == "crash" do
    let xs = [1]
    let _ = List.get(xs, 3)
    ()
  else
    let _ = Ws.send(conn, "got " <> msg)
    ()
  end
end

fn on_close(conn, code, reason) do
  println("closed ${code} [" <> reason <> "] send=${Ws.send(conn, "x")} join=${Ws.join(conn, "r")} leave=${Ws.leave(conn, "r")}")
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
  Ws.serve(on_connect, on_message, on_close, port_from_env(18640))
end
