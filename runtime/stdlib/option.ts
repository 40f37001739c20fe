// The Option module (stdlib.md §12): the original has no Option functions and this project adds
// none; programs use `case`, `if` and `?`. Some/None are the classes of core/builtin-types.ts.
export const Option_ = {};
