export { loadMnist, type Mnist, type MnistOptions, type MnistSplit } from "./mnist.js";
