// Well-known data sets: writing `dataset cifar10 { path "..." }` fills in the format,
// resolution, channels, classes and sizes, which the source may still override.
import type { BlockNode, EntryNode, Span } from '../grammar/ast.js';
import { mergeBlocks } from './merge.js';

export interface KnownDataset {
  format: 'idx' | 'cifar10' | 'cifar100' | 'imagenet';
  resolution: number;
  channels: number;
  classes: number;
  images: number;
  valImages: number;
}

export const KNOWN_DATASETS: Readonly<Record<string, KnownDataset>> = {
  mnist: { format: 'idx', resolution: 28, channels: 1, classes: 10, images: 60_000, valImages: 10_000 },
  fashion_mnist: { format: 'idx', resolution: 28, channels: 1, classes: 10, images: 60_000, valImages: 10_000 },
  cifar10: { format: 'cifar10', resolution: 32, channels: 3, classes: 10, images: 50_000, valImages: 10_000 },
  cifar100: { format: 'cifar100', resolution: 32, channels: 3, classes: 100, images: 50_000, valImages: 10_000 },
  imagenet1k: { format: 'imagenet', resolution: 224, channels: 3, classes: 1000, images: 1_281_167, valImages: 50_000 },
};

function synthetic(key: string, value: number | string, span: Span): EntryNode {
  const keyPath = { kind: 'KeyPath' as const, parts: [{ kind: 'Identifier' as const, name: key, span }], span };
  const expr =
    typeof value === 'number'
      ? { kind: 'Number' as const, value, raw: String(value), span }
      : { kind: 'Identifier' as const, name: value, span };
  return { kind: 'Entry', key: keyPath, value: expr, modifiers: [], span };
}

/** The body with the defaults of a well-known data set laid under what the source wrote. */
export function withDatasetDefaults(body: BlockNode): BlockNode {
  const index = body.entries.findIndex((e) => e.key.parts[0].name === 'dataset');
  if (index < 0) return body;
  const dataset = body.entries[index];
  const name = dataset.value?.kind === 'Identifier' ? dataset.value.name : undefined;
  const known = name !== undefined && Object.prototype.hasOwnProperty.call(KNOWN_DATASETS, name) ? KNOWN_DATASETS[name] : undefined;
  if (!known) return body;
  const span = dataset.value!.span;
  const defaults: BlockNode = {
    kind: 'Block',
    span,
    entries: [
      synthetic('format', known.format, span),
      synthetic('resolution', known.resolution, span),
      synthetic('channels', known.channels, span),
      synthetic('classes', known.classes, span),
      synthetic('images', known.images, span),
      synthetic('val_images', known.valImages, span),
    ],
  };
  const merged = { ...dataset, block: mergeBlocks(defaults, dataset.block ?? { kind: 'Block', entries: [], span }) };
  const entries = [...body.entries];
  entries[index] = merged;
  return { ...body, entries };
}
