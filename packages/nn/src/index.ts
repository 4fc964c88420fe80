export * from "./modules.js";
export * from "./training.js";
