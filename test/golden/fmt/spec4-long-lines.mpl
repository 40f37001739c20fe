fn notify(name, email) do
  let config = %{"host" => "localhost", "port" => "8080", "database" => "mesh_production", "pool_size" => "10"}
  notify_all(subscribers, "user was registered", %{"name" => name, "email" => email}, Time.now(), config)
  Ok(User{name: name, email: email})
end
