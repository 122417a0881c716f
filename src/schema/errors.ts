import type { z } from 'zod';

/** One validation problem: where (JSON path like `strategies[1].condition.all[0].rhs.window`) and what. */
export interface SchemaError {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(document)';
}

type Issue = z.core.$ZodIssue;

/**
 * A branch "did not match" when it complains at its own root (unrecognized key, wrong type) or about a
 * missing required key: that is the wrong shape, not a wrong value. The best branch is the one with the
 * fewest such complaints; its issues are the ones a person needs.
 */
function mismatch(issues: readonly Issue[]): number {
  let n = 0;
  for (const i of issues) {
    if (i.path.length === 0 && i.code !== 'custom') n += 10;
    else if (i.code === 'invalid_type' && /received undefined/.test(i.message)) n += 1;
    else if (i.code === 'invalid_value' && i.path.length === 1 && (i.path[0] === 'kind' || i.path[0] === 'type')) n += 5;
  }
  return n;
}

function flatten(issue: Issue, base: readonly PropertyKey[], out: SchemaError[]): void {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0) {
    const scored = issue.errors.map((branch) => ({ branch, score: mismatch(branch) }));
    scored.sort((a, b) => a.score - b.score);
    const best = scored[0]!;
    const tie = scored.length > 1 && scored[1]!.score === best.score;
    if (!tie && best.score < 10) {
      for (const i of best.branch) flatten(i, path, out);
      return;
    }
  }
  out.push({ path: formatPath(path), message: issue.message });
}

export function formatZodError(error: z.ZodError): SchemaError[] {
  const out: SchemaError[] = [];
  for (const issue of error.issues) flatten(issue, [], out);
  return out;
}

export function errorsToText(errors: readonly SchemaError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}
