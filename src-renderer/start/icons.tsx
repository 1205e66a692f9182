// Line icons drawn in the text's colour (emoji fonts are missing on many Linux machines, and
// these follow the theme). Decorative: hidden from screen readers, the words say it all.
import type { ReactElement } from 'react';

const PATHS = {
  build: 'M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z',
  drive: 'M6 3h9l4 4v14H6zM9 3v5h6V3M9 14h7M9 17h7',
  folder: 'M3 6h6l2 2h10v11H3z',
  file: 'M6 3h8l5 5v13H6zM14 3v5h5',
  done: 'M5 12.5l4.5 4.5L19 7.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 28 }: { readonly name: IconName; readonly size?: number }): ReactElement {
  return (
    <svg className={`icon icon-${name}`} width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
