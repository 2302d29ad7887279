import { type Component, type FunctionComponent, h } from 'preact';

// preact/compat's memo, without preact/compat: compat installs a global hook that rewrites the props of
// every element the page renders (React aliases), which cost more than the rows it saved rendering.

function propsChanged(this: Component, next: Readonly<Record<string, unknown>>): boolean {
  const previous = this.props as Readonly<Record<string, unknown>>;
  for (const key in previous) if (!(key in next)) return true;
  for (const key in next) if (previous[key] !== next[key]) return true;
  return false;
}

/** The component re-renders only when one of its props changes identity (a shallow comparison). */
export function memo<P extends object>(component: FunctionComponent<P>): FunctionComponent<P> {
  function Memoed(this: Component<P>, props: P) {
    this.shouldComponentUpdate = propsChanged;
    return h(component, props);
  }
  Memoed.displayName = `Memo(${component.displayName || component.name})`;
  return Memoed;
}
