supervisor S do
  child w do
    restart: permanent
  end
end

fn main() do
  spawn(S)
end
