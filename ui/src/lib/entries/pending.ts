// Interim types for the list commands and settings that backend.ts gains with the favourites and
// trash purge work; removed once those land there.
import type { Backend } from '../ipc/backend';
import type { Settings } from '../ipc/types';

export type ListBackend = Backend & {
  setFavourite(id: string, favourite: boolean): Promise<void>;
  purgeEntry(id: string): Promise<void>;
  emptyTrash(): Promise<number>;
};

export type ListSettings = Settings & { listSort?: 'name' | 'used' | 'changed'; listDensity?: 'comfortable' | 'compact' };
