/**
 * GLSL versions of the math functions whose GLSL built-ins differ from JavaScript's at the
 * edges: built-ins leave log of a negative, tanh of a large argument or pow of a negative
 * base undefined (SwiftShader returns 0, NaN and NaN), while the CPU backend — and so the
 * conformance suite — follows `Math`. Each takes and returns float and needs the header's
 * NaN helpers.
 *
 * @example
 * ```ts
 * const declarations = GLSL_MATH.tanh; // defines float tanhJS(float)
 * ```
 */
export const GLSL_MATH = {
  exp: `
float expJS(float x) {
  if (isNaN(x)) return x;
  if (x > 88.72284) return infValue();
  if (x < -103.97208) return 0.0;
  return exp(x);
}`,
  // SwiftShader's log(1 - 1e-7) is 16% off (an absolute error near 2e-8 everywhere, which
  // is a large relative error near 1); this is Cephes' logf: split off the binary exponent
  // from the bits, then a polynomial in m - 1 for the mantissa m in [√½, √2).
  log: `
float logCore(float x) {
  uint bits = floatBitsToUint(x);
  float e = float(int((bits >> 23) & 0xffu) - 126);
  float m = uintBitsToFloat((bits & 0x007fffffu) | 0x3f000000u);
  if (m < 0.70710678118654752) { e -= 1.0; m = m + m - 1.0; } else { m = m - 1.0; }
  float z = m * m;
  float y = ((((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m - 1.2420140846e-1) * m
    + 1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m - 2.4999993993e-1) * m
    + 3.3333331174e-1) * m * z;
  y += -2.12194440e-4 * e;
  y += -0.5 * z;
  return m + y + 0.693359375 * e;
}
float logJS(float x) {
  if (isNaN(x) || x < 0.0) return nanValue();
  if (x < 1.17549435e-38) return -infValue();
  if (isInf(x)) return x;
  return logCore(x);
}`,
  // log(1 + x) loses x's low bits when 1 + x rounds; scaling by x / (u - 1) puts them back
  // (Goldberg's trick), so tiny x give x rather than 0. The 1 is the uniform uOne because
  // SwiftShader's compiler folds a literal (1 + x) - 1 into x, which would undo the trick.
  log1p: `
float log1pJS(float x) {
  if (isNaN(x) || x < -1.0) return nanValue();
  if (x == -1.0) return -infValue();
  if (isInf(x)) return x;
  float u = uOne + x;
  if (u == 1.0) return x;
  return logCore(u) * (x / (u - uOne));
}`,
  sqrt: `
float sqrtJS(float x) {
  if (isNaN(x) || x < 0.0) return nanValue();
  if (isInf(x)) return x;
  return sqrt(x);
}`,
  // SwiftShader's sin(1) is off by 2e-5; this is Cephes' sinf/cosf: reduction by π/4 in three
  // parts (exact for |x| up to 8192) and minimax polynomials on [-π/4, π/4], within a couple
  // of float32 ulps. Beyond 8192 (where one float32 ulp is already 1e-3 radians) the
  // built-in takes over.
  trig: `
float sinCosReduced(float r, bool useCos) {
  float z = r * r;
  if (useCos) return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
}
float sinCosJS(float x, bool isCos) {
  if (isNaN(x) || isInf(x)) return nanValue();
  float a = abs(x);
  if (a > 8192.0) return isCos ? cos(x) : sin(x);
  float j = floor(a * 1.2732395447351628);
  if (mod(j, 2.0) == 1.0) j += 1.0;
  int q = int(mod(j, 8.0));
  float sgn = 1.0;
  if (q > 3) { sgn = -1.0; q -= 4; }
  if (isCos && q > 1) sgn = -sgn;
  float r = ((a - j * 0.78515625) - j * 2.4187564849853515625e-4) - j * 3.77489497744594108e-8;
  float v = sinCosReduced(r, (q == 2) != isCos);
  if (!isCos && x < 0.0) sgn = -sgn;
  return sgn * v;
}
float sinJS(float x) { return x == 0.0 ? x : sinCosJS(x, false); }
float cosJS(float x) { return sinCosJS(x, true); }`,
  // Odd Taylor polynomial near 0, where (1 - e^-2a) / (1 + e^-2a) would cancel; that form
  // elsewhere (it never overflows), and exactly ±1 past float32's resolution. The sign is
  // copied bitwise so tanh(-0) is -0.
  tanh: `
float tanhJS(float x) {
  if (isNaN(x)) return x;
  float a = abs(x);
  float r;
  if (a < 0.55) {
    float z = a * a;
    r = a * (1.0 + z * (-0.3333333333 + z * (0.1333333333 + z * (-0.0539682540 + z * (0.0218694885
      + z * (-0.0088632355 + z * (0.0035921280 + z * -0.0014558344)))))));
  } else if (a > 9.5) {
    r = 1.0;
  } else {
    float t = exp(-2.0 * a);
    r = (1.0 - t) / (1.0 + t);
  }
  return uintBitsToFloat(floatBitsToUint(r) | (floatBitsToUint(x) & 0x80000000u));
}`,
  // 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below, as the CPU does: e^-x is never
  // evaluated for very negative x, so it cannot overflow.
  sigmoid: `
float sigmoidJS(float x) {
  if (isNaN(x)) return x;
  if (x >= 0.0) return 1.0 / (1.0 + exp(-min(x, 104.0)));
  float e = exp(max(x, -104.0));
  return e / (1.0 + e);
}`,
  // JavaScript's **: integer exponents up to 64 by repeated squaring (exact for small
  // integers, where exp2(b·log2 a) is off by an ulp and 3 ** 2 would not be 9), negative bases
  // only for integer exponents, and every IEEE special case of Math.pow.
  pow: `
float powJS(float a, float b) {
  if (b == 0.0) return 1.0;
  if (isNaN(a) || isNaN(b)) return nanValue();
  float m = abs(a);
  if (isInf(b)) {
    if (m == 1.0) return nanValue();
    return ((m > 1.0) == (b > 0.0)) ? infValue() : 0.0;
  }
  bool isInt = floor(b) == b;
  bool negative = (floatBitsToUint(a) & 0x80000000u) != 0u;
  if (negative && !isInt && m != 0.0 && !isInf(m)) return nanValue();
  bool odd = isInt && abs(mod(b, 2.0)) == 1.0;
  float r;
  if (isInt && abs(b) <= 64.0) {
    int n = int(abs(b));
    float p = m;
    r = 1.0;
    while (n > 0) {
      if ((n & 1) == 1) r *= p;
      n >>= 1;
      if (n > 0) p *= p;
    }
    if (b < 0.0) r = 1.0 / r;
  } else if (m == 0.0) {
    r = b > 0.0 ? 0.0 : infValue();
  } else if (isInf(m)) {
    r = b > 0.0 ? infValue() : 0.0;
  } else {
    r = exp2(b * log2(m));
  }
  return (negative && odd) ? -r : r;
}`,
  // int32 ** int32 as the CPU computes it (in doubles, then stored through ToInt32): negative
  // exponents leave only ±1 (and 0 for a zero base, whose infinity an Int32Array stores as
  // 0); products wrap modulo 2^32 exactly as ToInt32 of the exact power does.
  powInt: `
int powInt(int a, int b) {
  if (b < 0) {
    if (a == 1) return 1;
    if (a == -1) return (b & 1) == 0 ? 1 : -1;
    return 0;
  }
  int r = 1;
  int p = a;
  int n = b;
  while (n > 0) {
    if ((n & 1) == 1) r *= p;
    n >>= 1;
    if (n > 0) p *= p;
  }
  return r;
}`,
  minmax: `
float maxJS(float a, float b) { return (isNaN(a) || isNaN(b)) ? nanValue() : max(a, b); }
float minJS(float a, float b) { return (isNaN(a) || isNaN(b)) ? nanValue() : min(a, b); }`,
} as const;
