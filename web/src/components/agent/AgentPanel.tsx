import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

type Props = {
  title: string;
  onClose: () => void;
  nav?: ComponentChildren;
  children: ComponentChildren;
  focusKey?: string;
};

/** The side panel of one agent (its details, settings or tokens): a heading that takes focus, Close, Escape closes. */
export function AgentPanel({ title, onClose, nav, children, focusKey }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [focusKey ?? title]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          {title}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      {nav}
      {children}
    </aside>
  );
}
