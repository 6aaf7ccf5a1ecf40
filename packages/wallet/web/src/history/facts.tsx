import type { ComponentChildren } from 'preact';

// Label/value pairs in two columns that still fit a 390 px screen (long values wrap, never overflow).
const LIST = {
  display: 'grid',
  gridTemplateColumns: '8em minmax(0, 1fr)',
  gap: '2px 12px',
  margin: '6px 0 0',
} as const;
const TERM = { color: 'var(--muted)' } as const;
const VALUE = { margin: 0, overflowWrap: 'anywhere' } as const;

/** A short description list; rows with an undefined value are left out. */
export function Facts(props: { rows: [string, ComponentChildren | undefined][] }) {
  return (
    <dl style={LIST}>
      {props.rows
        .filter(([, value]) => value !== undefined)
        .map(([term, value]) => [
          <dt key={`t-${term}`} style={TERM}>
            {term}
          </dt>,
          <dd key={`d-${term}`} style={VALUE}>
            {value}
          </dd>,
        ])}
    </dl>
  );
}
