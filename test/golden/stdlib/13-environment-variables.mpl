fn show(name :: String) -> String do
  let v = Env.get(name)
  case v do
    Some(s) -> name <> "=[" <> s <> "]"
    None -> name <> " unset"
  end
end

fn main() do
  println(show("SPEC_GREETING"))
  println(show("SPEC_EMPTY"))
  println(show("SPEC_MISSING"))
end
