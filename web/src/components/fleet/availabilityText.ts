/** An availability share as a percentage: "99.95 %", "100 %"; "—" when no time was counted. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  const percent = share * 100;
  // Two decimals near the top, where "99.9" and "99.99" differ a lot; whole numbers below.
  const text =
    percent >= 99 && percent < 100
      ? (Math.floor(percent * 100) / 100).toFixed(2)
      : String(Math.round(percent * 10) / 10);
  return `${text} %`;
}
