// The Activity view's filters, as the form holds them and as Rust takes them.
import type { ActivityFilter } from '../ipc/bindings/ActivityFilter';

/** The form: '' for "all"; dates as the date inputs give them ("2026-11-30"). */
export interface FilterForm {
  entryId: string;
  kind: string;
  deviceId: string;
  from: string;
  to: string;
}

export function emptyForm(entryId = ''): FilterForm {
  return { entryId, kind: '', deviceId: '', from: '', to: '' };
}

/** Local midnight at the start of `day`, or null for a blank or malformed date. */
export function dayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = new Date(y, mo - 1, d).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** The form as Rust's filter: "to" takes the whole of its day. */
export function toFilter(form: FilterForm): ActivityFilter {
  const from = dayStart(form.from);
  const to = dayStart(form.to);
  let untilMs: number | null = null;
  if (to !== null) {
    const next = new Date(to);
    next.setDate(next.getDate() + 1);
    untilMs = next.getTime();
  }
  return {
    entryId: form.entryId || null,
    kinds: form.kind ? [form.kind] : [],
    deviceId: form.deviceId || null,
    sinceMs: from,
    untilMs,
  };
}

export function isEmpty(form: FilterForm): boolean {
  return !form.entryId && !form.kind && !form.deviceId && !form.from && !form.to;
}
