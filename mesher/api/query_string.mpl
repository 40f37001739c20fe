# Query-string values of WebSocket handshake targets (the HTTP side has Request.query): split on
# `&`, `+` is a space and `%XX` escapes of printable ASCII are decoded, as Request.query does for
# HTTP. Other escapes are kept as written (tokens and ids are ASCII).

## Printable ASCII, code 0x20 first.
let printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

fn hex_value(c :: String) -> Int do
  let digits = "0123456789abcdef"
  let lower = String.to_lower(c)
  if String.length(lower) != 1 or not String.contains(digits, lower) do
    -1
  else
    String.split(digits, lower) |> List.head() |> String.length()
  end
end

## "%41rest" -> "Arest"; a piece whose escape is not printable ASCII keeps its "%".
fn decode_piece(piece :: String) -> String do
  let hi = hex_value(String.slice(piece, 0, 1))
  let lo = hex_value(String.slice(piece, 1, 2))
  let code = hi * 16 + lo
  if hi < 0 or lo < 0 or code < 32 or code > 126 do
    "%" <> piece
  else
    String.slice(printable, code - 32, code - 31) <> String.slice(piece, 2, String.length(piece))
  end
end

pub fn decode(text :: String) -> String do
  case String.split(String.replace(text, "+", " "), "%") do
    first :: rest -> first <> String.join(List.map(rest, decode_piece), "")
    [] -> ""
  end
end

## The decoded value of parameter `name` in `query` (the part after `?`); the last one wins.
pub fn param(query :: String, name :: String) -> Option<String> do
  let values = String.split(query, "&")
    |> List.filter(fn part -> String.contains(part, "=") end)
    |> List.filter(fn part -> decode(List.head(String.split(part, "="))) == name end)
    |> List.map(fn part -> decode(String.slice(part, String.length(List.head(String.split(part, "="))) + 1, String.length(part))) end)
  case List.reverse(values) do
    last :: _ -> Some(last)
    [] -> None
  end
end
