// Moved to ../describe_value.ts. This re-export remains only for the optimizers, which still
// import it from here (packages/nn/src/optimizers/*.ts are being edited in parallel); delete it
// once they import "../describe_value.js".
export { describeValue } from "../describe_value.js";
