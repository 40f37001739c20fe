fn secret() -> String do
  "hidden"
end
