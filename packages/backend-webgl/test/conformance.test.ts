import { webgl } from "@tapegrad/backend-webgl";
import { describeConformance } from "@tapegrad/testing";

// The backend itself, not a factory, so cases for dtypes WebGL does not declare (float64)
// are left out rather than reported as skipped.
describeConformance("webgl", await webgl());
