fn active_names(users) do
  let names = users |> List.filter(fn u -> u.active end) |> List.map(fn u -> u.name end)
  String.join(names, ", ") |> println
end
