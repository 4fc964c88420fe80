// A plain-JS float64 reference for every op the conformance suite checks, written straight
// from NumPy's semantics with no shared code with core or any backend: a bug must be made
// twice, independently, to go unnoticed. One file per family, under reference/.

export * from "./reference/array.js";
export * from "./reference/composites.js";
export * from "./reference/elementwise.js";
export * from "./reference/movement.js";
export * from "./reference/reduce.js";
