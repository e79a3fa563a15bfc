// Runs in: the renderer. Dates and times as people read them, in their own locale.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const shortDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const listDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** "2025-11-25": the local calendar day, for grouping messages under day separators. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const formatTime = (iso: string): string => timeFormat.format(new Date(iso));
export const formatFull = (iso: string): string => fullFormat.format(new Date(iso));
/** The separator's accessible name: "Tuesday, November 25, 2025". */
export const formatDayLong = (iso: string): string => longDate.format(new Date(iso));

/** The separator's visible label: "Today", "Yesterday", or the date. */
export function formatDayLabel(iso: string, now: Date = new Date()): string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return 'Yesterday';
  const date = new Date(iso);
  return date.getFullYear() === now.getFullYear() ? shortDate.format(date) : longDate.format(date);
}

/** Sidebar timestamps: the time today, otherwise the date. */
export function formatListTime(iso: string, now: Date = new Date()): string {
  return dayKey(iso) === dayKey(now.toISOString()) ? formatTime(iso) : listDate.format(new Date(iso));
}
