import { useQuery } from '@tanstack/react-query';
import { isRecord, type Draft } from '../doc/draft.ts';

export interface Template {
  file: string;
  name: string;
  description: string;
  doc: Draft;
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json() as Promise<unknown>;
}

/** Relative to BASE_URL so the app works from a sub-path on a static host. */
export function templateUrl(file: string): string {
  return `${import.meta.env.BASE_URL}strategies/${file}`;
}

export async function fetchTemplates(): Promise<Template[]> {
  const index = await fetchJson(templateUrl('index.json'));
  if (!Array.isArray(index) || !index.every((f) => typeof f === 'string')) {
    throw new Error('strategies/index.json: expected a list of file names');
  }
  return Promise.all(
    index.map(async (file: string) => {
      const doc = await fetchJson(templateUrl(file));
      if (!isRecord(doc)) throw new Error(`${file}: expected a strategy document`);
      return {
        file,
        name: typeof doc.name === 'string' ? doc.name : file,
        description: typeof doc.description === 'string' ? doc.description : '',
        doc: doc as Draft,
      };
    }),
  );
}

export function useTemplates() {
  return useQuery({ queryKey: ['templates'], queryFn: fetchTemplates, staleTime: Infinity });
}
