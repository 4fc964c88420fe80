/** @internal A short description of a bad option value, for error messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
  if (typeof v === "string") return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}
