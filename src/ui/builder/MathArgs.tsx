import type { Expr } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { ExprEditor } from './ExprEditor.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { replaceAt } from './set.ts';

const OPS = ['+', '-', '*', '/'] as const;
const OP_NAMES = { '+': 'plus', '-': 'minus', '*': 'times', '/': 'divided by' } as const;

export interface MathArgsProps {
  label: string;
  op: (typeof OPS)[number];
  args: Expr[];
  path: Path;
  onOp: (op: (typeof OPS)[number]) => void;
  onArgs: (args: Expr[]) => void;
  onRemove: (index: number) => void;
}

/** Operands joined by one operator, e.g. 1.02 × SMA(20); the operator applies left to right. */
export function MathArgs({ label, op, args, path, onOp, onArgs, onRemove }: MathArgsProps) {
  return (
    <span className="math">
      <EnumSelect label={`${label} operator`} value={op} options={OPS} names={OP_NAMES} onChange={onOp} />
      <span className="math-args">
        {args.map((a, i) => (
          <span className="math-arg" key={i}>
            <ExprEditor label={`${label} operand ${i + 1}`} value={a} onChange={(v) => onArgs(replaceAt(args, i, v))} path={childPath(path, 'args', i)} />
            {args.length > 2 && (
              <button type="button" className="icon" aria-label={`Remove ${label} operand ${i + 1}`} onClick={() => onRemove(i)}>
                ×
              </button>
            )}
          </span>
        ))}
        <button type="button" className="small" onClick={() => onArgs([...args, 1])}>
          + operand
        </button>
      </span>
      <FieldErrors path={childPath(path, 'args')} />
    </span>
  );
}
