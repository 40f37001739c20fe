pub type Light do
  Red
  Green
end
