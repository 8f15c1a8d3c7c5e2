// A small pretty-printing document algebra in the style of Wadler's "prettier printer": text,
// line breaks that a group lays out either all flat or all broken, indentation, and deferred
// end-of-line comments. A group breaks when its flat form would pass the line width or when it
// contains a hard line break.

export type Doc = string | Concat | Indent | Group | Line | IfBreak | LineSuffix;

interface Concat {
  kind: 'concat';
  parts: Doc[];
  hard: boolean;
}
interface Indent {
  kind: 'indent';
  contents: Doc;
  hard: boolean;
}
interface Group {
  kind: 'group';
  contents: Doc;
  hard: boolean;
}
interface Line {
  kind: 'line';
  /** What the break prints when its group is flat. */
  flat: string;
  /** Breaks whatever group holds it. */
  hard: boolean;
  /** A hard break that leaves one empty line. */
  blank: boolean;
}
interface IfBreak {
  kind: 'ifBreak';
  broken: string;
  flat: string;
  hard: false;
}
interface LineSuffix {
  kind: 'lineSuffix';
  text: string;
  /** An end-of-line comment forces its line to end, so it breaks its group. */
  hard: true;
}

function isHard(doc: Doc): boolean {
  return typeof doc !== 'string' && doc.hard;
}

export function concat(parts: Doc[]): Doc {
  return { kind: 'concat', parts, hard: parts.some(isHard) };
}
export function indent(contents: Doc): Doc {
  return { kind: 'indent', contents, hard: isHard(contents) };
}
export function group(contents: Doc, forceBreak = false): Doc {
  return { kind: 'group', contents, hard: forceBreak || isHard(contents) };
}
/** A space when flat (or `flat`), a line break when broken. */
export function line(flat = ' '): Doc {
  return { kind: 'line', flat, hard: false, blank: false };
}
export const softline: Doc = { kind: 'line', flat: '', hard: false, blank: false };
export const hardline: Doc = { kind: 'line', flat: '', hard: true, blank: false };
export const blankline: Doc = { kind: 'line', flat: '', hard: true, blank: true };
export function ifBreak(broken: string, flat = ''): Doc {
  return { kind: 'ifBreak', broken, flat, hard: false };
}
/** Text printed at the end of the current line, after everything else on it. */
export function lineSuffix(text: string): Doc {
  return { kind: 'lineSuffix', text, hard: true };
}
export function join(separator: Doc, docs: Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

type Mode = 'flat' | 'break';
interface Command {
  indent: number;
  mode: Mode;
  doc: Doc;
}

/** Lays a document out within `width` columns. Lines carry no trailing spaces. */
export function layout(doc: Doc, width: number): string {
  const out: string[] = [];
  let column = 0;
  let suffixes: string[] = [];
  const stack: Command[] = [{ indent: 0, mode: 'break', doc }];
  const newline = (indentBy: number, blank: boolean) => {
    if (suffixes.length > 0) {
      out.push(suffixes.join(''));
      suffixes = [];
    }
    trimTrailingSpaces(out);
    out.push(blank ? '\n\n' : '\n', ' '.repeat(indentBy));
    column = indentBy;
  };
  while (stack.length > 0) {
    const { indent: ind, mode, doc: d } = stack.pop()!;
    if (typeof d === 'string') {
      out.push(d);
      column += d.length;
      continue;
    }
    switch (d.kind) {
      case 'concat':
        for (let i = d.parts.length - 1; i >= 0; i--) stack.push({ indent: ind, mode, doc: d.parts[i] });
        break;
      case 'indent':
        stack.push({ indent: ind + 2, mode, doc: d.contents });
        break;
      case 'group': {
        const flat: Command = { indent: ind, mode: 'flat', doc: d.contents };
        const fitsFlat = mode === 'flat' || (!d.hard && fits(flat, stack, width - column));
        stack.push(fitsFlat ? flat : { indent: ind, mode: 'break', doc: d.contents });
        break;
      }
      case 'line':
        if (mode === 'flat' && !d.hard) {
          out.push(d.flat);
          column += d.flat.length;
        } else {
          newline(ind, d.blank);
        }
        break;
      case 'ifBreak': {
        const text = mode === 'break' ? d.broken : d.flat;
        out.push(text);
        column += text.length;
        break;
      }
      case 'lineSuffix':
        suffixes.push(d.text);
        break;
    }
  }
  if (suffixes.length > 0) out.push(suffixes.join(''));
  trimTrailingSpaces(out);
  return out.join('');
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1];
    const trimmed = last.replace(/ +$/, '');
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

/** Whether `next` in flat mode, followed by the rest up to its first line break, fits in `room` columns. */
function fits(next: Command, rest: readonly Command[], room: number): boolean {
  const pending: Command[] = [next];
  let restIndex = rest.length;
  let left = room;
  while (left >= 0) {
    let command = pending.pop();
    if (!command) {
      if (restIndex === 0) return true;
      command = rest[--restIndex];
    }
    const { mode, doc: d } = command;
    if (typeof d === 'string') {
      left -= d.length;
      continue;
    }
    switch (d.kind) {
      case 'concat':
        for (let i = d.parts.length - 1; i >= 0; i--) pending.push({ indent: command.indent, mode, doc: d.parts[i] });
        break;
      case 'indent':
        pending.push({ indent: command.indent, mode, doc: d.contents });
        break;
      case 'group':
        pending.push({ indent: command.indent, mode: d.hard ? 'break' : mode, doc: d.contents });
        break;
      case 'line':
        if (mode === 'break' || d.hard) return true;
        left -= d.flat.length;
        break;
      case 'ifBreak':
        left -= (mode === 'break' ? d.broken : d.flat).length;
        break;
      case 'lineSuffix':
        break;
    }
  }
  return false;
}
