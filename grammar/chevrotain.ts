// Chevrotain's values, loaded from its single-file build. The package's entry point loads
// about 2,300 lodash-es modules, which alone costs close to a second at every start of `eft`;
// the build the package ships next to it (lib/chevrotain.mjs) loads in tens of milliseconds.
// Types still come from the package itself.
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<typeof Chevrotain> {
  const entry = import.meta.resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  try {
    return (await import(new URL('../chevrotain.mjs', entry).href)) as typeof Chevrotain;
  } catch {
    return await import('chevrotain');
  }
}

const chevrotain = await load();

export const { createToken, Lexer, CstParser, EOF } = chevrotain;
