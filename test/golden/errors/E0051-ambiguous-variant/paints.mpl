pub type Paint do
  Red
  Blue
end
