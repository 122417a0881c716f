/** A tiny flag parser: `--name value`, `--name=value`, boolean `--flag`. Unknown flags are errors. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  readonly [name: string]: 'string' | 'number' | 'boolean';
}

export function parseArgs<S extends FlagSpec>(argv: readonly string[], spec: S): { [K in keyof S]?: S[K] extends 'number' ? number : S[K] extends 'boolean' ? boolean : string } {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      out[name] = true;
      continue;
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got "${raw}"`);
      out[name] = n;
    } else {
      out[name] = raw;
    }
  }
  return out as never;
}
