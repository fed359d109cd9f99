import type { ExportDone, ImportDone, ImportPreview, SkippedView } from '../ipc/types';
import type { ExportFormat } from '../ipc/backend';
import { toIpcError } from '../ipc/backend';
import { errorText } from '../errors';
import { has, t } from '../i18n/index.svelte';

/** Where a skipped item was and why, in the user's language: "Line 4: has no title…". */
export function skippedText(skipped: SkippedView): string {
  const place = skipped.place.kind === 'line' ? t('transfer.place.line', { line: skipped.place.line }) : t('transfer.place.item', { title: skipped.place.title });
  const r = skipped.reason;
  const reason =
    r.kind === 'not-a-login'
      ? t('transfer.reason.not-a-login', { what: kindText(r.what) })
      : r.kind === 'attachment'
        ? t('transfer.reason.attachment', { name: r.name })
        : r.kind === 'unreadable'
          ? t('transfer.reason.unreadable', { detail: r.detail })
          : r.kind === 'other'
            ? t('transfer.reason.other', { detail: r.detail })
            : t(`transfer.reason.${r.kind}`);
  // The colon is the language's own: full-width in Chinese.
  return t('transfer.place.row', { place, reason });
}

/** The source's word for a kind of item, in the user's language when it is one we know. */
export function kindText(what: string): string {
  const key = `transfer.kind.${what.toLowerCase()}`;
  return has(key) ? t(key) : what;
}

/** The preview's three counts as sentences. */
export function previewText(preview: ImportPreview): { arriving: string; already: string | null; skipped: string | null } {
  const arriving =
    preview.arriving === 0 ? t('transfer.arrivingNone') : preview.arriving === 1 ? t('transfer.arrivingOne') : t('transfer.arriving', { count: preview.arriving });
  const already = preview.already.length === 0 ? null : preview.already.length === 1 ? t('transfer.alreadyOne') : t('transfer.already', { count: preview.already.length });
  const skipped = preview.skipped.length === 0 ? null : preview.skipped.length === 1 ? t('transfer.skippedOne') : t('transfer.skipped', { count: preview.skipped.length });
  return { arriving, already, skipped };
}

export function importedText(done: ImportDone): string {
  if (done.added === 0) return t('transfer.importedNone');
  return done.added === 1 ? t('transfer.importedOne', { source: done.source }) : t('transfer.imported', { count: done.added, source: done.source });
}

export function exportedText(done: ExportDone): string {
  const text = done.entries === 1 ? t('transfer.exportedOne', { path: done.path }) : t('transfer.exported', { count: done.entries, path: done.path });
  return done.format === 'csv' ? `${text} ${t('transfer.exportedCsv')}` : text;
}

/** The file's name without its folders, for messages. */
export function fileName(path: string): string {
  return path.split(/[/\\]/).pop() || path;
}

/** Whether an import error is answered by typing the file's password (and choosing a key file). */
export function asksForPassword(e: unknown): boolean {
  const code = toIpcError(e).code;
  return code === 'import-needs-password' || code === 'import-wrong-password';
}

/** An import error naming the file; a CSV's own words follow ours, since they say which line. */
export function importErrorText(e: unknown, path: string): string {
  const err = toIpcError(e);
  const text = `${t('transfer.cannotImport', { file: fileName(path) })} ${errorText(e)}`;
  if (err.code !== 'import-csv') return text;
  const detail = err.message.replace(/^cannot import .*?: /, '');
  return `${text} (${detail})`;
}

export interface ExportChoice {
  format: ExportFormat;
  password: string;
  confirm: string;
  plainTextOk: boolean;
}

/** Why the export cannot go ahead yet (a message key), or null when it can. */
export function exportBlocker(choice: ExportChoice): 'transfer.mismatch' | 'needs-password' | 'needs-confirmation' | null {
  if (choice.format === 'csv') return choice.plainTextOk ? null : 'needs-confirmation';
  if (choice.password === '') return 'needs-password';
  return choice.password === choice.confirm ? null : 'transfer.mismatch';
}
