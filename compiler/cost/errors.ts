// The error the cost model throws for inputs it cannot count: callers turn it into a
// diagnostic (with the span of the resolution or model that caused it) or a CLI message.

export type CostErrorKind =
  /** The resolution is not a positive whole number of pixels. */
  | 'bad-resolution'
  /** The resolution is too small for the network: a feature map or token grid would be empty. */
  | 'too-small'
  /** The resolution does not fit the architecture's windows or stripes. */
  | 'incompatible'
  /** The spec itself is malformed (a count that is not a positive integer, lists of unequal length). */
  | 'bad-spec';

export class CostError extends Error {
  override readonly name = 'CostError';
  constructor(
    readonly kind: CostErrorKind,
    message: string,
    /** The resolution asked for, when the error is about one. */
    readonly resolution?: number,
  ) {
    super(message);
  }
}
