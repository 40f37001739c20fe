// The Result module (stdlib.md §12): no functions, as for Option; Ok/Err live in
// core/builtin-types.ts. Every Err produced by the library carries a String.
export const Result_ = {};
