// The live log: follows the end while the user has not scrolled up.
import { useEffect, useRef } from 'react';

export function LogView({ lines, label }: { readonly lines: ReadonlyArray<string>; readonly label: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <pre
      ref={ref}
      className="log"
      tabIndex={0}
      aria-label={label}
      aria-live="off"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {lines.slice(-500).join('\n')}
    </pre>
  );
}
