import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

// One IntersectionObserver for every watched element (a thousand cards would otherwise be a thousand).
type Watcher = (onScreen: boolean) => void;
const watchers = new WeakMap<Element, Watcher>();
let observer: IntersectionObserver | null = null;

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) watchers.get(entry.target)?.(entry.isIntersecting);
    },
    // Drawn a little before it scrolls into view, so scrolling shows content, not blanks.
    { rootMargin: '600px 0px' },
  );
  return observer;
}

/**
 * Whether the element is on screen (or nearly), and its height when it last was (px; null before).
 * Always on screen when `watch` is false or the browser has no IntersectionObserver.
 */
export function useOnScreen(ref: RefObject<HTMLElement>, watch: boolean): { onScreen: boolean; height: number | null } {
  const canWatch = watch && typeof IntersectionObserver !== 'undefined';
  const [onScreen, setOnScreen] = useState(false);
  const height = useRef<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!canWatch || !element) return;
    watchers.set(element, (visible) => {
      // Measured while the content is still drawn: the placeholder keeps the same place in the page.
      if (!visible) height.current = element.offsetHeight || height.current;
      setOnScreen(visible);
    });
    shared().observe(element);
    return () => {
      watchers.delete(element);
      shared().unobserve(element);
    };
  }, [canWatch, ref]);
  return { onScreen: canWatch ? onScreen : true, height: height.current };
}
