// The side panel (steps, saved recipes, recent jobs). Below 1000 px it would squeeze the step to a
// column, so it collapses behind a "Steps and recipes" button and opens over the step; choosing
// something in it, or Escape, closes it again. Which of the two layouts shows is CSS's (styles.css).
import { useId, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

export function Sidebar({ children }: { readonly children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = (): void => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onClick = (e: MouseEvent<HTMLElement>): void => {
    if (open && (e.target as HTMLElement).closest('button, a')) setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (open && e.key === 'Escape') close();
  };
  return (
    <div className="sidebar-wrap" onKeyDown={onKeyDown}>
      <div className="sidebar-bar">
        <button ref={toggle} type="button" className="secondary sidebar-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span> Steps and recipes
        </button>
      </div>
      <aside id={id} className={`sidebar${open ? ' open' : ''}`} onClick={onClick}>
        {children}
      </aside>
    </div>
  );
}
