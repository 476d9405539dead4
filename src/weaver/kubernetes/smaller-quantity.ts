/**
 * Compares Kubernetes resource quantities (`250m`, `2`, `512Mi`, `1G`), so that a request is
 * never set above its limit (the API server rejects such a pod).
 */
const suffixes: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity in base units; NaN when it is not one. */
export function quantityValue(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity);
  if (match === null) return Number.NaN;
  return Number(match[1]) * (suffixes[match[2] ?? ''] ?? Number.NaN);
}

/** The smaller of two quantities, as written (the first when they are equal). */
export function smallerQuantity(first: string, second: string): string {
  return quantityValue(second) < quantityValue(first) ? second : first;
}
