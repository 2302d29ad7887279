import { useEffect, useState } from 'preact/hooks';

type Props = { text: string; label: string };

/** Copies `text` to the clipboard and says so for a moment (to screen readers too). */
export function CopyButton({ text, label }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    // The label names the button while it says "Copy"; while it says "Copied" its name is what it shows
    // (a name that does not contain the visible text fails WCAG 2.5.3).
    <button type="button" class="copy" aria-label={state === 'idle' ? label : undefined} onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
      <span class="visually-hidden" role="status">
        {state === 'copied'
          ? 'Copied to the clipboard'
          : state === 'failed'
            ? 'Could not copy; select the text and copy it'
            : ''}
      </span>
    </button>
  );
}
