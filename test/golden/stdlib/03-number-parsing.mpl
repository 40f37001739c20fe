fn as_int(s :: String) -> String do
  let r = String.to_int(s)
  case r do
    Some(n) -> "${n}"
    None -> "none"
  end
end

fn as_float(s :: String) -> String do
  let r = String.to_float(s)
  case r do
    Some(f) -> "${f}"
    None -> "none"
  end
end

fn main() do
  println(as_int(" 42 ") <> " " <> as_int("+7") <> " " <> as_int("-007") <> " " <> as_int("4.0") <> " " <> as_int("9223372036854775808"))
  println(as_float("2.50") <> " " <> as_float("1e3") <> " " <> as_float(".5") <> " " <> as_float("-0") <> " " <> as_float("abc"))
end
