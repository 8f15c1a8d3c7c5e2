// The shape every library curriculum has: its arguments and how it lays out its stages for
// one experiment. Settings the user writes in the curriculum block are applied afterwards.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { ExperimentDef, Located, LowPassMethod } from '../../experiment.js';
import type { Clock } from '../plan-types.js';

export interface LibraryArgSpec {
  kind: 'number' | 'enum';
  /** Enum arguments: the accepted names. */
  values?: readonly string[];
  /** Number arguments: inclusive bounds (exclusive lower bound when minExclusive). */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  integer?: boolean;
  /** The unit values are written in, for messages: fractions print as `50%`, epochs as `200ep`. */
  unit?: 'fraction' | 'epochs' | 'pixels' | 'factor';
  /** How the argument is written, for help lines (`family: deit`, `equivalent_epochs: 200ep`). */
  example: string;
  doc: string;
}

/** One stage of a library design. */
export interface LibraryStage {
  start: number;
  end: number;
  /** Requested resolution in pixels at the data set's resolution (may be fractional). */
  resolution: number;
  resolutionOrigin?: string;
  m: number;
}

export interface LibraryDesign {
  clock: Clock;
  stages: LibraryStage[];
  equivalentEpochs?: number;
  budgetSource: string;
  family?: string;
  lowPass: LowPassMethod;
}

export interface BuildContext {
  exp: ExperimentDef;
  /** Arguments as written, already checked against the curriculum's argument specs. */
  args: Record<string, Located<number | string>>;
  /** Full resolution of the data set in pixels. */
  full: number;
  report(d: Diagnostic): void;
}

export interface LibraryCurriculum {
  name: string;
  summary: string;
  args: Record<string, LibraryArgSpec>;
  /** Lays out the stages; undefined after reporting why it cannot. */
  build(ctx: BuildContext): LibraryDesign | undefined;
}

export function numberArg(ctx: BuildContext, name: string): number | undefined {
  const v = ctx.args[name]?.value;
  return typeof v === 'number' ? v : undefined;
}

export function stringArg(ctx: BuildContext, name: string): string | undefined {
  const v = ctx.args[name]?.value;
  return typeof v === 'string' ? v : undefined;
}

/** `96/224 of 28px` when a 224-scale size is rescaled; nothing when the data set is at 224. */
export function scaledOrigin(b224: number, full: number): string | undefined {
  return full === 224 ? undefined : `${b224}/224 of ${full}px`;
}
