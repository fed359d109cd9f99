import type { EntrySummary } from '../ipc/types';

/** What the sidebar shows in the list: everything, the starred entries, or one tag's. */
export type ListFilter = { kind: 'all' } | { kind: 'favourites' } | { kind: 'tag'; tag: string };

export const ALL: ListFilter = { kind: 'all' };

export function sameFilter(a: ListFilter, b: ListFilter): boolean {
  return a.kind === b.kind && (a.kind !== 'tag' || a.tag === (b as { tag: string }).tag);
}

export function isFavourite(entry: EntrySummary): boolean {
  return entry.favourite;
}

export function matchesFilter(entry: EntrySummary, filter: ListFilter): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'favourites':
      return isFavourite(entry);
    case 'tag':
      return entry.tags.includes(filter.tag);
  }
}

/** Indices (into `all`) from a search, kept in order, narrowed to the sidebar's choice. */
export function applyFilter(all: readonly EntrySummary[], indices: readonly number[], filter: ListFilter): number[] {
  if (filter.kind === 'all') return indices.filter((i) => i >= 0 && i < all.length);
  return indices.filter((i) => i >= 0 && i < all.length && matchesFilter(all[i], filter));
}

export interface TagCount {
  tag: string;
  count: number;
}

/**
 * Every tag with how many entries carry it, in the order of the interface's language (so that
 * imported groups such as "Sales/国内CRM" sit next to "Sales").
 */
export function tagCounts(all: readonly EntrySummary[], locale = 'en'): TagCount[] {
  const counts = new Map<string, number>();
  for (const e of all) {
    // An entry with the same tag twice counts once.
    for (const tag of new Set(e.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => collator.compare(a.tag, b.tag));
}

export function favouriteCount(all: readonly EntrySummary[]): number {
  let n = 0;
  for (const e of all) if (isFavourite(e)) n++;
  return n;
}
