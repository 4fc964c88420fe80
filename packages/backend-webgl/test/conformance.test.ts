import { webgl } from "@tapegrad/backend-webgl";
import { describeConformance } from "@tapegrad/testing";

describeConformance("webgl", () => webgl());
