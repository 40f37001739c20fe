type Signal do
  Green
  Blink(Int)
  Custom(String, Float)
end deriving(Json)

fn describe_signal(s :: Signal) -> String do
  case s do
    Green -> "green"
    Blink(n) -> "blink ${n}"
    Custom(name, level) -> "custom ${name} ${level}"
  end
end

fn decode(text :: String) -> String do
  let r = Signal.from_json(text)
  case r do
    Ok(s) -> describe_signal(s)
    Err(e) -> "error ${e}"
  end
end

fn main() do
  println(Json.encode(%{"bo" => 7, "al" => 12}))
  println(Json.encode([1.5, 2.0, 100.0]))
  println(Json.encode(Some("q\"uote")))
  println(Json.encode(Green))
  println(Json.encode(Blink(3)))
  println(Json.encode(Custom("amber", 0.5)))
  println(decode("{\"tag\":\"Blink\",\"fields\":[9]}"))
  println(decode("{\"fields\":[\"red\",1],\"tag\":\"Custom\"}"))
  println(decode("{\"tag\":\"Purple\",\"fields\":[]}"))
end
