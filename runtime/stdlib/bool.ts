// The Bool module (stdlib.md §4): it has no functions; `not`, `and`, `or` are operators.
export const Bool_ = {};
