import { cpu } from "@tapegrad/backend-cpu";
import { describeConformance } from "@tapegrad/testing";

describeConformance("cpu", cpu());
