import { useRef, useEffect } from 'preact/hooks';
import type { IssuedAgentToken as Issued } from '@agent-status/domain';
import { tokenSnippets } from '../../lib/snippets.ts';
import { CopyButton } from '../CopyButton.tsx';

type Props = {
  issued: Issued;
  projectUrl: string;
  publishableKey: string;
  heartbeatIntervalSeconds: number;
  onDone: () => void;
};

/** A token just issued, shown this once, with copy buttons and ready-to-paste snippets for its worker. */
export function IssuedToken({ issued, projectUrl, publishableKey, heartbeatIntervalSeconds, onDone }: Props) {
  const snippets = tokenSnippets({
    url: projectUrl,
    publishableKey,
    agentName: issued.agent_name,
    token: issued.token,
    heartbeatIntervalSeconds,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [issued.token_id]);
  return (
    <section class="issued-token" aria-labelledby="issued-token-title" data-token-id={issued.token_id}>
      <h3 id="issued-token-title" tabIndex={-1} ref={heading}>
        New token for {issued.agent_name}
      </h3>
      <p role="alert" class="once">
        Copy it now: this is the only time it is shown. Only its hash is stored.
      </p>
      <div class="token-line">
        <code data-token>{issued.token}</code>
        <CopyButton text={issued.token} label="Copy the token" />
      </div>
      {snippets.map((snippet) => (
        <figure key={snippet.id} class="snippet" data-snippet={snippet.id}>
          <figcaption>
            <strong>{snippet.title}</strong> <span class="muted">{snippet.hint}</span>
            <CopyButton text={snippet.text} label={`Copy ${snippet.title}`} />
          </figcaption>
          {/* Focusable: a keyboard user can scroll its long lines (axe's scrollable-region-focusable). */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable */}
          {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the label names the scrollable region */}
          <pre tabIndex={0} aria-label={snippet.title}>
            <code>{snippet.text}</code>
          </pre>
        </figure>
      ))}
      <button type="button" onClick={onDone}>
        Done, I have stored it
      </button>
    </section>
  );
}
