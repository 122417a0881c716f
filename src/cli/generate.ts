/**
 * npm run generate -- "<text>" [--provider openai|anthropic|gemini] [--model M] [--escalate-model M]
 *   [--base-url URL] [--proxy URL] [--edit <file>] [--out <file>] [--json] [--data <csv file | directory>]
 *   [--no-stream] [--timeout SECONDS] [--attempts N]
 *
 * Plain English → a validated strategy document (src/llm). Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY
 * or GEMINI_API_KEY, a vault-mode proxy's token from PROXY_TOKEN; none of them is ever printed. Prints the
 * document (or writes --out), explanation and attempt log on stderr; on failure the reason, exit 1.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { EMBEDDED } from '../data/embedded/parse.ts';
import { symbolFromFileName } from '../data/naming.ts';
import { KEY_ENV, withDefaultModels } from '../llm/defaults.ts';
import { generateStrategy, PROVIDERS, totals, type AttemptRecord, type FetchLike, type ProgressEvent, type ProviderConfig, type ProviderName } from '../llm/index.ts';
import { parseDocument, type StrategyDocumentInput } from '../schema/index.ts';
import { parseArgs, UsageError } from './args.ts';
import { readDocumentData } from './inputs.ts';

export const USAGE = 'usage: npm run generate -- "<text>" [--provider openai|anthropic|gemini] [--model M] [--escalate-model M] [--base-url URL] [--proxy URL] [--edit <file>] [--out <file>] [--json] [--data <csv file | directory>] [--no-stream] [--timeout SECONDS] [--attempts N]';

const FLAGS = {
  provider: 'string', model: 'string', 'escalate-model': 'string', 'base-url': 'string', proxy: 'string', edit: 'string',
  out: 'string', json: 'boolean', data: 'string', 'no-stream': 'boolean', timeout: 'number', attempts: 'number',
} as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  fetch?: FetchLike;
}

/** Symbols this machine can run: the embedded series plus any files under --data (one symbol per file). */
function knownSymbols(data: string | undefined): string[] {
  const out = new Set<string>([EMBEDDED.sp500.symbol, ...EMBEDDED.stocks.symbols]);
  if (data) {
    let files: string[];
    try {
      files = statSync(data).isDirectory() ? readdirSync(data).filter((f) => /\.(csv|json)$/i.test(f)) : [data];
    } catch (e) {
      throw new UsageError(`cannot read data ${data}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    for (const f of files) out.add(symbolFromFileName(f));
  }
  return [...out].sort();
}

export function configFrom(flags: ReturnType<typeof parseArgs<typeof FLAGS>>, env: Io['env']): ProviderConfig {
  const provider = (flags.provider ?? 'openai') as ProviderName;
  if (!PROVIDERS.includes(provider)) throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
  const local = provider === 'openai' && flags['base-url'] !== undefined;
  const apiKey = env[KEY_ENV[provider]] || undefined;
  const token = env.PROXY_TOKEN || undefined;
  if (!apiKey && !local && !(flags.proxy && token)) {
    throw new UsageError(`set ${KEY_ENV[provider]} (or use --proxy with a vault-mode proxy and PROXY_TOKEN, or --base-url for a local OpenAI-compatible server)`);
  }
  if (flags.model === undefined && local) throw new UsageError('--model is required with --base-url (the local server\'s model name, e.g. llama3.1)');
  if (flags.attempts !== undefined && (!Number.isInteger(flags.attempts) || flags.attempts < 1 || flags.attempts > 5)) throw new UsageError('--attempts must be a whole number from 1 to 5');
  if (flags.timeout !== undefined && !(flags.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  return withDefaultModels({
    provider,
    model: flags.model ?? '',
    escalateModel: flags['escalate-model'],
    baseUrl: flags['base-url'],
    apiKey,
    proxy: flags.proxy ? { url: flags.proxy, ...(token ? { token } : {}) } : null,
    stream: !flags['no-stream'],
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
    ...(flags.attempts !== undefined ? { maxAttempts: flags.attempts } : {}),
  });
}

function attemptLine(a: AttemptRecord): string {
  const cost = a.costUsd === null ? 'cost unknown' : `$${a.costUsd.toFixed(5)}`;
  const tokens = a.inputTokens === null ? 'tokens unknown' : `${a.inputTokens}+${a.outputTokens} tokens`;
  return `  ${a.task} #${a.attempt} ${a.model}${a.escalated ? ' (escalated)' : ''}: ${a.outcome}, ${a.latencyMs} ms, ${a.promptChars} prompt chars, ${tokens}, ${cost}${a.error ? ` — ${a.error.split('\n')[0]}` : ''}`;
}

export async function generateMain(argv: string[], io: Io): Promise<number> {
  try {
    const text = argv[0] !== undefined && !argv[0].startsWith('--') ? argv[0] : undefined;
    const flags = parseArgs(text === undefined ? argv : argv.slice(1), FLAGS);
    if (!text) throw new UsageError(`describe the strategy in words as the first argument\n${USAGE}`);
    const config = configFrom(flags, io.env);
    let base: StrategyDocumentInput | undefined;
    if (flags.edit) {
      const r = parseDocument(readDocumentData(flags.edit));
      if (!r.ok) throw new UsageError(`${flags.edit}: invalid strategy: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      base = r.doc;
    }
    const known = { symbols: knownSymbols(flags.data) };
    const seen = new Map<string, string>();
    const onProgress = (e: ProgressEvent) => {
      if (e.type !== 'task' || flags.json) return;
      const line = `${e.label}: ${e.state} (${e.model}${e.escalated ? ', escalated' : ''})`;
      if (seen.get(e.task) !== line) io.err(line);
      seen.set(e.task, line);
    };
    const r = await generateStrategy({ text, base, known }, { config, fetch: io.fetch, onProgress });
    const t = totals(r.attempts);
    if (flags.json) {
      io.out(JSON.stringify(r.ok
        ? { ok: true, document: r.doc, explanation: r.explanation, warnings: r.warnings, unsupported: r.unsupported, attempts: r.attempts, totals: t }
        : { ok: false, error: r.error, errors: r.errors, unsupported: r.unsupported, attempts: r.attempts, totals: t }, null, 2));
    } else {
      io.err('Attempts:');
      for (const a of r.attempts) io.err(attemptLine(a));
      io.err(`  total: ${t.attempts} requests, ${t.inputTokens}+${t.outputTokens} tokens, ${t.costUsd === null ? 'cost unknown' : `≈ $${t.costUsd.toFixed(4)}`}`);
    }
    if (!r.ok) {
      if (!flags.json) io.err(r.error);
      return 1;
    }
    if (!flags.json) {
      for (const line of r.explanation) io.err(line);
      for (const w of r.warnings) io.err(`warning: ${w.path}: ${w.message}`);
      for (const u of r.unsupported) io.err(`not expressed: ${u}`);
    }
    const json = JSON.stringify(r.doc, null, 2);
    if (flags.out) writeFileSync(flags.out, `${json}\n`);
    else if (!flags.json) io.out(json);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('generate.ts')) {
  generateMain(process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t), env: process.env }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
