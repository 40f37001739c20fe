// The Int module (stdlib.md §4). Ints are JS numbers holding exact integers (language.md §7.1).
export const Int_ = {
  to_float: (n: number): number => n,
};
