import B

pub fn a() -> Int = 1
