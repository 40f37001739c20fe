# Fault injection for tests only (docs/decisions.md 81): when MESHER_FAULT_FILE names a file whose
# content is a service's name, that service's health-check ping stalls for 3 s, so the health
# checker's restart path (mesher.md §6.8) can be exercised on a real node. Unset in production:
# then this costs one environment lookup per ping.

pub fn stall_if_injected(name :: String) -> () do
  let injected = case Env.get("MESHER_FAULT_FILE") do
    Some(path) -> case File.read(path) do
      Ok(text) -> String.trim(text) == name
      Err(_) -> false
    end
    None -> false
  end
  if injected do
    Timer.sleep(3000)
  end
end
