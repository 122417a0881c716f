import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Names the page in the message ("Data"). */
  page: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/**
 * Catches a render error inside one page so the header, the other pages and the stored data stay usable.
 * App keys it by page, so navigating away and back tries the page again. The Data page's own rows are
 * also guarded (DatasetTable), so one bad record cannot hide the Delete buttons.
 */
export class PageBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.page} page failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel" role="alert" data-testid="page-error">
        <h2>The {this.props.page} page could not be shown</h2>
        <p className="field-error">{error.message}</p>
        <p>
          Other pages still work from the menu above, and nothing stored was changed.{' '}
          <button type="button" onClick={() => this.setState({ error: null })}>Try again</button>
        </p>
      </section>
    );
  }
}
