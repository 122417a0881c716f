import { useMemo, useRef, useState } from 'react';
import type { SchemaError } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';
import { parsePath } from '../doc/path.ts';
import { lineColumn, locate, parseText, serialize, type TextFormat } from '../doc/text.ts';
import { ProblemList, type Problem } from './ProblemList.tsx';

export interface DocumentEditorProps {
  doc: Draft;
  onChange: (doc: Draft) => void;
  errors: readonly SchemaError[];
  warnings: readonly SchemaError[];
}

const LINE_HEIGHT_PX = 18;

/**
 * JSON/YAML text over the same document the builder edits. Text that does not parse stays as typed (with
 * its syntax error) and the document keeps its last parsed value; once it parses, the document follows.
 * When the document changes elsewhere (builder, undo), the text is rewritten from it.
 */
export function DocumentEditor({ doc, onChange, errors, warnings }: DocumentEditorProps) {
  const [format, setFormat] = useState<TextFormat>('json');
  const [text, setText] = useState(() => serialize(doc, 'json'));
  const [synced, setSynced] = useState<Draft>(doc);
  const [syntax, setSyntax] = useState<{ message: string; offset: number } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  if (synced !== doc) {
    setSynced(doc);
    setText(serialize(doc, format));
    setSyntax(null);
  }

  const problems: Problem[] = useMemo(() => {
    if (syntax) {
      const at = lineColumn(text, syntax.offset);
      return [{ severity: 'error', path: 'syntax', message: syntax.message, offset: syntax.offset, ...at }];
    }
    const place = (severity: Problem['severity']) => (e: SchemaError): Problem => {
      const offset = locate(text, format, parsePath(e.path));
      return { severity, path: e.path, message: e.message, offset, ...lineColumn(text, offset) };
    };
    return [...errors.map(place('error')), ...warnings.map(place('warning'))];
  }, [syntax, text, format, errors, warnings]);

  const lineCount = useMemo(() => text.split('\n').length, [text]);
  const errorLines = useMemo(() => new Set(problems.filter((p) => p.severity === 'error').map((p) => p.line)), [problems]);

  const edit = (next: string) => {
    setText(next);
    const r = parseText(next, format);
    if (!r.ok) {
      setSyntax({ message: r.message, offset: r.offset });
      return;
    }
    setSyntax(null);
    const value = r.value as Draft;
    setSynced(value);
    onChange(value);
  };

  const reveal = (p: Problem) => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(p.offset, p.offset);
    el.scrollTop = Math.max(0, (p.line - 3) * LINE_HEIGHT_PX);
  };

  const switchFormat = (f: TextFormat) => {
    setFormat(f);
    setText(serialize(doc, f));
    setSyntax(null);
  };

  return (
    <div className="doc-editor">
      <div className="row toolbar">
        <fieldset className="seg" disabled={syntax !== null} title={syntax ? 'Fix the syntax error before switching format' : undefined}>
          <legend className="sr-only">Editor format</legend>
          {(['json', 'yaml'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="doc-format" checked={format === f} onChange={() => switchFormat(f)} />
              {f.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <span className={problems.some((p) => p.severity === 'error') ? 'status bad' : 'status good'} role="status">
          {syntax ? 'syntax error' : errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''}` : 'valid'}
        </span>
      </div>
      <div className="code">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'ln err' : 'ln'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          aria-label={`Strategy document (${format.toUpperCase()})`}
          aria-invalid={problems.some((p) => p.severity === 'error') || undefined}
          spellCheck={false}
          wrap="off"
          value={text}
          onChange={(e) => edit(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <ProblemList problems={problems} onSelect={reveal} />
    </div>
  );
}
