import type { DatasetInfo } from '../../data/store.ts';
import type { Template } from '../hooks/useTemplates.ts';
import { templateNeeds, timeframeWord, type TemplateNeeds } from './template-needs.ts';

export interface TemplateGalleryProps {
  templates: readonly Template[] | undefined;
  error: Error | null;
  onSelect: (t: Template) => void;
  /** The stored datasets (with the embedded sample data); undefined while unknown. */
  catalog?: readonly DatasetInfo[];
}

function Needs({ needs }: { needs: TemplateNeeds | null }) {
  if (!needs) return null;
  if (needs.bars.length === 0 && needs.series.length === 0) return <p className="tpl-ready good">Runs on the stored data.</p>;
  const parts = [
    needs.bars.length ? `${timeframeWord(needs.timeframe)} bars for ${needs.bars.join(', ')}` : '',
    needs.series.length ? `the series ${needs.series.join(', ')}` : '',
  ].filter(Boolean);
  return (
    <p className="tpl-needs warn">
      Needs {parts.join(' and ')}: <a href="#/data">import them</a>.
    </p>
  );
}

export function TemplateGallery({ templates, error, onSelect, catalog }: TemplateGalleryProps) {
  if (error) return <p className="field-error" role="alert">Templates could not be loaded: {error.message}</p>;
  if (!templates) return <p className="muted" role="status">Loading templates…</p>;
  return (
    <ul className="gallery" aria-label="Templates">
      {templates.map((t) => (
        <li key={t.file}>
          <button type="button" onClick={() => onSelect(t)} aria-describedby={`tpl-${t.file}`}>
            <span className="tpl-name">{t.name}</span>
          </button>
          <div id={`tpl-${t.file}`}>
            <p className="tpl-desc">{t.description}</p>
            <Needs needs={templateNeeds(t.doc, catalog)} />
          </div>
        </li>
      ))}
    </ul>
  );
}
