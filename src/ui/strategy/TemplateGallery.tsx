import type { Template } from '../hooks/useTemplates.ts';

export interface TemplateGalleryProps {
  templates: readonly Template[] | undefined;
  error: Error | null;
  onSelect: (t: Template) => void;
}

export function TemplateGallery({ templates, error, onSelect }: TemplateGalleryProps) {
  if (error) return <p className="field-error" role="alert">Templates could not be loaded: {error.message}</p>;
  if (!templates) return <p className="muted" role="status">Loading templates…</p>;
  return (
    <ul className="gallery" aria-label="Templates">
      {templates.map((t) => (
        <li key={t.file}>
          <button type="button" onClick={() => onSelect(t)} aria-describedby={`tpl-${t.file}`}>
            <span className="tpl-name">{t.name}</span>
          </button>
          <p className="tpl-desc" id={`tpl-${t.file}`}>{t.description}</p>
        </li>
      ))}
    </ul>
  );
}
