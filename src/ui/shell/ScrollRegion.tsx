import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface Overflow {
  /** Columns hidden past the left edge (scrolled right). */
  left: boolean;
  /** Columns hidden past the right edge. */
  right: boolean;
  /** Rows hidden below or above (the trades list has a fixed height). */
  vertical: boolean;
}

const NONE: Overflow = { left: false, right: false, vertical: false };

/**
 * A panel a wide table scrolls inside (phones: the data sources, run history, trades). Nothing on screen said it
 * scrolled; now, only while its content overflows, the hidden side casts an edge shadow and a "scroll →" hint shows,
 * and the scroller becomes a labelled region in the tab order, so keyboard users can scroll it with the arrow
 * keys and screen readers announce that it scrolls. When everything fits it is a plain block: no extra tab stop.
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState<Overflow>(NONE);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const left = el.scrollLeft > 1, right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      const vertical = el.scrollHeight > el.clientHeight + 1;
      setOver((o) => (o.left === left && o.right === right && o.vertical === vertical ? o : { left, right, vertical }));
    };
    update();
    // The panel's width (a rotated phone) and the content's (rows arrive, columns widen) both change it.
    const ro = new ResizeObserver(update);
    ro.observe(el);
    for (const child of el.children) ro.observe(child);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);
  const sideways = over.left || over.right;
  const scrolls = sideways || over.vertical;
  const cls = ['scroll-cue', over.left && 'more-left', over.right && 'more-right'].filter(Boolean).join(' ');
  return (
    <div className={cls}>
      {sideways && <p className="scroll-hint" aria-hidden="true">{over.right ? 'scroll →' : '← scroll'}</p>}
      <div ref={ref} className={['scroll-x', className].filter(Boolean).join(' ')}
        {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': sideways ? `${label} (scrolls sideways)` : `${label} (scrolls)` } : {})}>
        {children}
      </div>
    </div>
  );
}
