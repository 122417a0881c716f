import type { TraceNode, TraceOperand } from '../../schema/index.ts';
import { formatValue } from './format.ts';

const OP_TEXT: Record<string, string> = {
  '>': '>', '>=': '≥', '<': '<', '<=': '≤', '=': '=', '!=': '≠', crossesAbove: 'crosses above', crossesBelow: 'crosses below',
};

function Result({ value }: { value: boolean }) {
  return <span className={value ? 'res true' : 'res false'}>{value ? 'true' : 'false'}</span>;
}

function Operand({ o, prev }: { o: TraceOperand; prev: number | undefined }) {
  return (
    <span className="operand">
      <span className="label">{o.label}</span> <b className="value">{formatValue(o.value)}</b>
      {prev !== undefined && <span className="muted"> (was {formatValue(prev)})</span>}
    </span>
  );
}

function Node({ node }: { node: TraceNode }) {
  switch (node.type) {
    case 'compare':
      return (
        <>
          <Result value={node.result} />
          <Operand o={node.lhs} prev={node.prevLhs} /> <span className="op">{OP_TEXT[node.op] ?? node.op}</span>{' '}
          <Operand o={node.rhs} prev={node.prevRhs} />
        </>
      );
    case 'always':
      return (
        <>
          <Result value={true} /> no condition: every bar
        </>
      );
    default: {
      const head = node.type === 'atLeast' || node.type === 'atMost' ? `${node.type === 'atLeast' ? 'at least' : 'at most'} ${node.count} of` : node.type === 'all' ? 'all of' : node.type === 'any' ? 'any of' : 'not';
      return (
        <>
          <Result value={node.result} /> <span className="group-name">{head}</span>
          <ul>
            {node.children.map((c, i) => (
              <li key={i} className={c.result ? 'ok' : 'no'}>
                <Node node={c} />
              </li>
            ))}
          </ul>
        </>
      );
    }
  }
}

/** The condition tree as the strategy saw it on that bar: every operand's label and value, every node's result. */
export function TraceTree({ trace }: { trace: TraceNode }) {
  return (
    <ul className="trace" aria-label="Condition trace">
      <li className={trace.result ? 'ok' : 'no'}>
        <Node node={trace} />
      </li>
    </ul>
  );
}
