fn sign(n) do if n>0 do "pos" else if n<0 do "neg" else "zero" end end
fn describe(opt) do match opt do
Some(x) when x>10->"big: ${x}"
Some(_)->"small"
None->"none" end end
