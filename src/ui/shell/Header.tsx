import { PAGES, type Page } from '../hooks/useHashRoute.ts';

const NAMES: Record<(typeof PAGES)[number], string> = { strategy: 'Strategy', results: 'Results', data: 'Data', optimize: 'Optimize', live: 'Live', settings: 'Settings' };

export function Header({ page }: { page: Page }) {
  return (
    <header className="app-header">
      <h1>Backtester</h1>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li key={p}>
              <a href={`#/${p}`} aria-current={p === page ? 'page' : undefined}>
                {NAMES[p]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
