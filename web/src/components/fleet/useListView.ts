import { useState } from 'preact/hooks';
import type { ListView } from '../Toolbar.tsx';

const STORAGE_KEY = 'agent-status.list-view';
/** Without a remembered choice, a fleet larger than this opens as the table (cards suit a handful). */
export const TABLE_BY_DEFAULT_ABOVE = 100;

function remembered(): ListView | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'cards' || value === 'table' ? value : null;
  } catch {
    return null; // storage refused (private mode, policy): the default it is
  }
}

/** Cards or table, remembered per browser (localStorage). */
export function useListView(fleetSize: number): [ListView, (view: ListView) => void] {
  const [chosen, setChosen] = useState<ListView | null>(remembered);
  const choose = (view: ListView) => {
    setChosen(view);
    try {
      localStorage.setItem(STORAGE_KEY, view);
    } catch {
      /* not remembered, still applied */
    }
  };
  return [chosen ?? (fleetSize > TABLE_BY_DEFAULT_ABOVE ? 'table' : 'cards'), choose];
}
