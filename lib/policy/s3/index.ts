/** Pure policy code of the data lake (no cdktf import). */
export * from "./actions";
export * from "./conditional";
export * from "./expressions";
export * from "./names";
export * from "./policies";
