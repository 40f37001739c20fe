fn main() do
  let s = "a
b"   
  println(s)	
end


