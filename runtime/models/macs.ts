// Counts the multiply-accumulates a built model performs, layer by layer, from the shapes its
// tensors really have. Same convention as the cost model: only convolutions, linear layers and
// the two attention matmuls count; everything else is free. Counts are per image.

export class MacCounter {
  private total = 0;
  private readonly byLayer = new Map<string, number>();

  add(layer: string, macs: number): void {
    this.total += macs;
    this.byLayer.set(layer, (this.byLayer.get(layer) ?? 0) + macs);
  }

  get macs(): number {
    return this.total;
  }

  /** MACs per layer name, in the order the layers first ran. */
  layers(): { name: string; macs: number }[] {
    return [...this.byLayer].map(([name, macs]) => ({ name, macs }));
  }
}
