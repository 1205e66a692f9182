// Line icons drawn in the text's colour (emoji fonts are missing on many Linux machines, and
// these follow the theme). Decorative: hidden from screen readers, the words next to them say it all.
import type { ReactElement } from 'react';
import { distroMark } from './icon-kinds.js';

const PATHS = {
  build: 'M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z',
  drive: 'M6 3h9l4 4v14H6zM9 3v5h6V3M9 14h7M9 17h7',
  folder: 'M3 6h6l2 2h10v11H3z',
  file: 'M6 3h8l5 5v13H6zM14 3v5h5',
  done: 'M5 12.5l4.5 4.5L19 7.5',
  // Drive kinds: a USB stick, an SD card (clipped corner, contacts), a hard disk, a loop device.
  usb: 'M9.5 3h5v5h-5zM7.5 8h9v13h-9zM11 5h.01M13 5h.01',
  sd: 'M9 3h9v18H6V6zM10 3v3.5M12.5 3v3.5M15 3v3.5',
  disk: 'M3 14l3-9h12l3 9v5H3zM3 14h18M17 16.5h.01',
  loop: 'M4 12a8 8 0 0 1 13.7-5.6M20 12a8 8 0 0 1-13.7 5.6M18 3v4h-4M6 21v-4h4',
  // Boards: a PC (screen), a Raspberry Pi-sized board (mounting holes, SoC, header), a compute module.
  pc: 'M3 4h18v12H3zM8 20h8M12 16v4',
  pi: 'M3 6h18v12H3zM5.5 8.5h.01M18.5 8.5h.01M5.5 15.5h.01M18.5 15.5h.01M9 10h5v4H9zM8 6V4.5M11 6V4.5M14 6V4.5M17 6V4.5',
  module: 'M4 7h16v9H4zM7 16v3M10 16v3M14 16v3M17 16v3M8 10h4v3H8z',
  // Sources: a distribution (layers), a Kairos image (a package), a Dockerfile, a root filesystem.
  layers: 'M12 3l9 5-9 5-9-5zM3 12.5l9 5 9-5M3 17l9 5 9-5',
  package: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10',
  dockerfile: 'M6 3h8l5 5v13H6zM14 3v5h5M9 13h6M9 17h6',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 28 }: { readonly name: IconName; readonly size?: number }): ReactElement {
  return (
    <svg className={`icon icon-${name}`} data-icon={name} width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}

/** A distribution's badge: its letters on its colour (see icon-kinds.ts). Decorative like the icons. */
export function DistroBadge({ of, size = 28 }: { readonly of: string; readonly size?: number }): ReactElement {
  const mark = distroMark(of);
  return (
    <svg className="icon distro-badge" data-distro={mark.letters} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="22" height="22" rx="6" fill={mark.colour} />
      <text x="12" y="16.2" textAnchor="middle" fontSize={mark.letters.length > 1 ? 11 : 13} fontWeight="700" fill="#ffffff" fontFamily="system-ui, sans-serif">
        {mark.letters}
      </text>
    </svg>
  );
}
