# util/text_fmt.mpl  (module Util.TextFmt)
fn stars(n :: Int) -> String do
  if n <= 0 do "" else "*" <> stars(n - 1) end
end

pub fn banner(s :: String) -> String do
  stars(2) <> " " <> s <> " " <> stars(2)
end
