export interface Problem {
  severity: 'error' | 'warning';
  /** JSON path, or "syntax" for a parse error. */
  path: string;
  message: string;
  offset: number;
  line: number;
  column: number;
}

/** Each problem is a button: choosing it puts the caret where the path is in the text. */
export function ProblemList({ problems, onSelect }: { problems: readonly Problem[]; onSelect: (p: Problem) => void }) {
  if (problems.length === 0) return null;
  return (
    <ol className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          <button type="button" onClick={() => onSelect(p)}>
            <span className="loc">line {p.line}</span>
            <code className="path">{p.path}</code>
            <span className="msg">{p.message}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
