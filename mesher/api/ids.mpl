# Validation of identifiers and small value formats that arrive in paths, queries and bodies.

fn is_hex(c :: String) -> Bool = String.contains("0123456789abcdefABCDEF", c) and c != ""

## A UUID in its canonical hyphenated text form (any version, either case).
pub fn is_uuid(s :: String) -> Bool do
  if String.length(s) != 36 do
    false
  else
    let chars = String.split(s, "")
      |> List.filter(fn c -> c != "" end)
    List.enumerate(chars)
      |> List.all(fn(pair) do
        let (i, c) = pair
        if i == 8 or i == 13 or i == 18 or i == 23 do c == "-" else is_hex(c) end
      end)
  end
end

## Organisation slugs: ^[a-z0-9][a-z0-9-]{0,62}$
pub fn is_slug(s :: String) -> Bool do
  let n = String.length(s)
  if n < 1 or n > 63 do
    false
  else
    let chars = String.split(s, "") |> List.filter(fn c -> c != "" end)
    let first = List.head(chars)
    let alnum = fn c -> String.contains("abcdefghijklmnopqrstuvwxyz0123456789", c) end
    alnum(first) and List.all(chars, fn c -> alnum(c) or c == "-" end)
  end
end

## Session tokens: 64 lowercase hex characters.
pub fn is_session_token(s :: String) -> Bool do
  let hex = String.split(s, "")
    |> List.filter(fn c -> c != "" end)
    |> List.all(fn c -> String.contains("0123456789abcdef", c) end)
  String.length(s) == 64 and hex
end
