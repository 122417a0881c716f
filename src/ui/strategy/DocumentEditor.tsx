import { useMemo, useRef, useState } from 'react';
import type { SchemaError } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';
import { parsePath } from '../doc/path.ts';
import { lineColumn, loadYaml, locate, parseText, serialize, type TextFormat } from '../doc/text.ts';
import { ProblemList, type Problem } from './ProblemList.tsx';

export interface DocumentEditorProps {
  doc: Draft;
  onChange: (doc: Draft) => void;
  errors: readonly SchemaError[];
  warnings: readonly SchemaError[];
}

const LINE_HEIGHT_PX = 18;
/**
 * Past this many lines the gutter is one text node instead of an element per line: 80,000 line elements
 * (a 5,000-condition document) made every keystroke seconds long. Error lines are then marked in the
 * problem list only.
 */
const GUTTER_ELEMENTS_MAX = 2000;

const lineNumbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join('\n');

/**
 * JSON/YAML text over the same document the builder edits. Text that does not parse stays as typed (with
 * its syntax error) and the document keeps its last parsed value; once it parses, the document follows.
 * When the document changes elsewhere (builder, undo), the text is rewritten from it.
 */
export function DocumentEditor(props: DocumentEditorProps) {
  const [opened, setOpened] = useState(false);
  // Sized by its values, not by serializing it: a big draft must not cost a serialization per keystroke.
  const size = useMemo(() => roughSize(props.doc), [props.doc]);
  if (size > TEXT_EDITOR_MAX && !opened) {
    return (
      <div className="doc-editor" data-testid="editor-collapsed">
        <p className="muted">
          This document is about {Math.round(size / 1024).toLocaleString('en-US')} KB as text: the text editor is collapsed so
          editing stays fast. The builder edits it a page of conditions at a time.
        </p>
        <button type="button" onClick={() => setOpened(true)}>Edit as text anyway (slow)</button>
      </div>
    );
  }
  return <TextEditor {...props} />;
}

/** Documents larger than this (approximate JSON bytes) open with the text editor collapsed. */
const TEXT_EDITOR_MAX = 100_000;

function roughSize(doc: unknown): number {
  let n = 0;
  const stack: unknown[] = [doc];
  while (stack.length && n <= TEXT_EDITOR_MAX) {
    const v = stack.pop();
    if (typeof v === 'string') n += v.length + 8;
    else if (Array.isArray(v)) { n += 4; for (let i = 0; i < v.length; i++) stack.push(v[i]); } // not push(...v): a 125k-value array overflowed the stack
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { n += k.length + 8; stack.push(x); }
    else n += 12;
  }
  return n;
}

function TextEditor({ doc, onChange, errors, warnings }: DocumentEditorProps) {
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

  const [loadError, setLoadError] = useState<string | null>(null);
  // While the YAML chunk loads the text stays read-only, and the switch serializes the document as it is
  // then: an edit typed meanwhile would otherwise be overwritten by the document of the click.
  const [loading, setLoading] = useState(false);
  const latest = useRef(doc);
  latest.current = doc;
  const switchFormat = (f: TextFormat) => {
    const apply = () => {
      setLoading(false);
      setFormat(f);
      setText(serialize(latest.current, f));
      setSyntax(null);
    };
    if (f === 'json') return apply();
    setLoading(true);
    loadYaml().then(apply, (e: unknown) => {
      setLoading(false);
      setLoadError(`YAML could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    });
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
          {lineCount <= GUTTER_ELEMENTS_MAX ? Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'ln err' : 'ln'}>
              {i + 1}
            </div>
          )) : <div className="ln" style={{ whiteSpace: 'pre' }}>{lineNumbers(lineCount)}</div>}
        </div>
        <textarea
          ref={area}
          aria-label={`Strategy document (${format.toUpperCase()})`}
          aria-invalid={problems.some((p) => p.severity === 'error') || undefined}
          readOnly={loading}
          aria-busy={loading || undefined}
          spellCheck={false}
          wrap="off"
          value={text}
          onChange={(e) => edit(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      {loadError && <p role="alert" className="field-error">{loadError}</p>}
      <ProblemList problems={problems} onSelect={reveal} />
    </div>
  );
}
