fn main() do
  let m = case x do 1 -> "one" _ -> "many" end
  for {k, v} in m when v > 1 do println(k) end
  for x in [1, 2, 3] do println("${x}") end
  while i < 10 do println("x") end
  let r = receive do
    Ping(from) -> send(from, Pong)
    msg -> msg
    after 100 -> :timeout
  end
  let w = do
    let z = 1
    z + 1
  end
  case r do
    Ok(v) -> do
      let w = v * 2
      w + 1
    end
    Err(e) -> if e do 1 else 2 end
  end
end
