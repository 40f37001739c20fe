pub struct Stack<T> do
  items :: List<T>
end

pub fn empty<T>() -> Stack<T> do
  Stack { items: [] }
end

pub fn push<T>(s :: Stack<T>, x :: T) -> Stack<T> do
  Stack { items: [x] ++ s.items }
end

pub fn peek(s) = List.head(s.items)

pub fn size(s) = List.length(s.items)
