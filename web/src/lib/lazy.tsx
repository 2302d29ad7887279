import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component whose code loads when it is first shown: pages and panels most visits never open stay
 * out of the initial bundle (goal: ≤ 70 KiB gzipped, docs/performance.md). Renders `fallback` meanwhile.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: JSX.Element | null = null,
): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (component) return;
      let current = true;
      loading ??= load().then((c) => (loaded = c));
      void loading.then((c) => current && setComponent(() => c));
      return () => {
        current = false;
      };
    }, [component]);
    const Component = component;
    return Component ? <Component {...props} /> : fallback;
  };
}
