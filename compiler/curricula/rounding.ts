// Python's round(): halves go to the even neighbour. The Composer and FFCV ramps round this
// way, and reproducing them exactly means doing the same.
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
