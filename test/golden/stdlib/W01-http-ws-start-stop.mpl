# HTTP.start / HTTP.stop / Ws.start (decision 79): listeners that return once bound, with the bind
# failure as a value, on a chosen interface.
fn hello(_req :: Request) -> Response do
  HTTP.response(200, "hi")
end

fn main() do
  let r = HTTP.router() |> HTTP.on_get("/", hello)
  case HTTP.start(r, "127.0.0.1", 0) do
    Ok(l) -> do
      let port = HTTP.port(l)
      println("listening: ${port > 0}")
      case HTTP.get("http://127.0.0.1:${port}/") do
        Ok(body) -> println("got ${body}")
        Err(e) -> println("get failed: ${e}")
      end
      # a second listener on the same port fails with the reason
      case HTTP.start(r, "127.0.0.1", port) do
        Ok(_) -> println("second bind succeeded?")
        Err(e) -> println("second bind: ${e}")
      end
      case HTTP.start(r, "256.1.1.1", 0) do
        Ok(_) -> println("bad host bound?")
        Err(e) -> println("bad host: ${String.length(e) > 0}")
      end
      HTTP.stop(l)
      case HTTP.get("http://127.0.0.1:${port}/") do
        Ok(_) -> println("still answering after stop")
        Err(_) -> println("stopped")
      end
      let w = Ws.start(fn(_c, _p, _h) -> 1 end, fn(_c, _t) -> () end, fn(_c, _code, _r) -> () end, "127.0.0.1", 0)
      case w do
        Ok(wl) -> do
          println("ws listening: ${Ws.port(wl) > 0}")
          Ws.stop(wl)
          println("ws stopped")
        end
        Err(e) -> println("ws failed: ${e}")
      end
    end
    Err(e) -> println("failed: ${e}")
  end
end
