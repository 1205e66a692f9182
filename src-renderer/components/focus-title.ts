// Moving to another view (a wizard step, a door) moves focus to its title, so keyboard and
// screen-reader users follow along; not on the first render, where focus stays at the page's top.
import { useEffect, useRef, type RefObject } from 'react';

export function useFocusTitle(container: RefObject<HTMLElement | null>, view: unknown): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const title = container.current?.querySelector('h2');
    if (title) {
      title.tabIndex = -1;
      title.focus();
    }
  }, [container, view]);
}
