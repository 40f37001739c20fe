fn parse_port(s :: String) -> Int!String do
  let r = String.to_int(s)
  case r do
    Some(n) -> if n > 0 and n < 65536 do Ok(n) else Err("out of range: ${n}") end
    None -> Err("not a number: " <> s)
  end
end

fn total_ports(a :: String, b :: String) -> Int!String do
  let x = parse_port(a)?
  let y = parse_port(b)?
  Ok(x + y)
end

fn lookup(m, key :: String) -> Int? do
  if Map.has_key(m, key) do Some(Map.get(m, key)) else None end
end

fn sum_two(m, a :: String, b :: String) -> Int? do
  let x = lookup(m, a)?
  let y = lookup(m, b)?
  Some(x + y)
end

fn show_result(r) -> String do
  case r do
    Ok(v) -> "ok ${v}"
    Err(e) -> "error: ${e}"
  end
end

fn show_option(o) -> String do
  case o do
    Some(v) -> "Some(${v})"
    None -> "None"
  end
end

fn main() do
  println(show_result(total_ports("8080", "443")))
  println(show_result(total_ports("80", "http")))
  println(show_result(total_ports("70000", "x")))
  println(show_result(total_ports(" 1 ", "2")))
  let stock = %{"apples" => 4, "pears" => 0}
  println(show_option(sum_two(stock, "apples", "pears")))
  println(show_option(sum_two(stock, "apples", "plums")))
  println(show_option(List.find([3, 8], fn x -> x > 5 end)))
end
