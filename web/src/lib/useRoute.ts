import { useCallback, useEffect, useState } from 'preact/hooks';
import { hrefFor, parseHash, type Route } from './route.ts';

/** The current route, following back / forward; navigate() changes it at once and records it in history. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    setRoute(next);
    const href = hrefFor(next);
    if (location.hash !== href) history.pushState(null, '', href);
  }, []);
  return [route, navigate];
}
