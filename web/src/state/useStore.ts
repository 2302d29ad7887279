import { useEffect, useState } from 'preact/hooks';

type Subscribable<S> = { getState(): S; subscribe(listener: () => void): () => void };

/** Re-renders only when the selected slice changes identity (selectors return stored objects). */
export function useStore<S, T>(store: Subscribable<S>, select: (state: S) => T): T {
  const [value, setValue] = useState(() => select(store.getState()));
  useEffect(() => {
    const check = () => setValue(() => select(store.getState()));
    check();
    return store.subscribe(check);
  }, [store, select]);
  return value;
}
