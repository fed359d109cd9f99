import type { EntryDetail, EntryDraft, RulesView, TotpPreview } from '../ipc/types';
import type { MessageKey } from '../i18n/index.svelte';

export interface EditorField {
  name: string;
  /** The name the field had when the editor opened; null for a new field. */
  originalName: string | null;
  value: string;
  hidden: boolean;
  /**
   * A hidden field whose value the UI never saw: an empty `value` means
   * "keep what Rust has", sent as null.
   */
  keepsHiddenValue: boolean;
}

/** What saving does with the TOTP setup. */
export interface TotpState {
  /** The entry had a setup when the editor opened. */
  had: boolean;
  action: 'keep' | 'remove' | 'set';
  /** The setup Rust read and holds, for `set`. */
  preview: TotpPreview | null;
}

/** A new system's rules start as what most systems accept. */
export const DEFAULT_RULES: RulesView = {
  minLength: 8,
  maxLength: 32,
  symbols: '!#$%&*+-=?@^_~.,:;',
  required: { lower: true, upper: true, digits: true, symbols: false },
};

export interface EditorForm {
  title: string;
  username: string;
  /** What the user typed or generated; '' = unchanged. */
  password: string;
  /** The current password if the user revealed it into the editor, so an unedited reveal is still "unchanged". */
  revealedPassword: string | null;
  hasPassword: boolean;
  urls: string[];
  notes: string;
  tags: string[];
  fields: EditorField[];
  rules: RulesView | null;
  /** "YYYY-MM-DD", '' for none (what <input type="date"> gives). */
  expires: string;
  totp: TotpState;
  /** Other sites the login window may fill, one input each (like `urls`). */
  alsoFillOn: string[];
  /** The entry's own auto-type sequence; '' types the default one. */
  autotypeSequence: string;
  /** Window title patterns, one input each. */
  autotypeWindows: string[];
}

/** What auto-type types for an entry without a sequence of its own (as Rust's `DEFAULT_SEQUENCE`). */
export const DEFAULT_SEQUENCE = '{USERNAME}{TAB}{PASSWORD}{ENTER}';

/** Whether the entry has any login window or auto-type setting, so the editor opens that section. */
export function hasAutofillSettings(form: EditorForm): boolean {
  const filled = (list: string[]) => list.some((item) => item.trim() !== '');
  return filled(form.alsoFillOn) || form.autotypeSequence.trim() !== '' || filled(form.autotypeWindows);
}

export function formFromDetail(detail: EntryDetail | null): EditorForm {
  if (!detail) {
    return {
      title: '',
      username: '',
      password: '',
      revealedPassword: null,
      hasPassword: false,
      urls: [''],
      notes: '',
      tags: [],
      fields: [],
      rules: null,
      expires: '',
      totp: { had: false, action: 'keep', preview: null },
      alsoFillOn: [''],
      autotypeSequence: '',
      autotypeWindows: [''],
    };
  }
  return {
    title: detail.title,
    username: detail.username,
    password: '',
    revealedPassword: null,
    hasPassword: detail.hasPassword,
    urls: detail.urls.length > 0 ? [...detail.urls] : [''],
    notes: detail.notes,
    tags: [...detail.tags],
    fields: detail.fields.map((f) => ({
      name: f.name,
      originalName: f.name,
      value: f.value ?? '',
      hidden: f.hidden,
      keepsHiddenValue: f.value === null,
    })),
    rules: detail.rules ? { ...detail.rules, required: { ...detail.rules.required } } : null,
    expires: detail.expires ?? '',
    totp: { had: detail.hasTotp, action: 'keep', preview: null },
    alsoFillOn: detail.alsoFillOn.length > 0 ? [...detail.alsoFillOn] : [''],
    autotypeSequence: detail.autotypeSequence ?? '',
    autotypeWindows: detail.autotypeWindows.length > 0 ? [...detail.autotypeWindows] : [''],
  };
}

/** A number field the user cleared or garbled falls back to `fallback`. */
function whole(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : fallback;
}

export function cleanRules(rules: RulesView | null): RulesView | null {
  if (!rules) return null;
  return {
    minLength: whole(rules.minLength, DEFAULT_RULES.minLength),
    maxLength: whole(rules.maxLength, DEFAULT_RULES.maxLength),
    symbols: rules.symbols.replace(/\s/g, ''),
    required: { ...rules.required },
  };
}

/** Trimmed, without blanks or duplicates (tags compare ignoring case, as Rust does). */
export function cleanTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** The first problem that would make Rust refuse the draft, as a message key. */
export function validateForm(form: EditorForm): MessageKey | null {
  if (form.title.trim() === '') return 'editor.errorTitle';
  const names = new Set<string>();
  for (const f of form.fields) {
    const name = f.name.trim();
    if (name === '') return 'editor.errorFieldName';
    if (names.has(name.toLowerCase())) return 'editor.errorFieldDuplicate';
    names.add(name.toLowerCase());
    // Rust finds the kept value by name: a renamed field has nothing to keep.
    if (f.keepsHiddenValue && f.value === '' && f.originalName !== null && name !== f.originalName) {
      return 'editor.errorRenameHidden';
    }
  }
  return null;
}

export function buildDraft(form: EditorForm): EntryDraft {
  const pw = form.password;
  const unchanged = pw === '' || (form.revealedPassword !== null && pw === form.revealedPassword);
  return {
    title: form.title.trim(),
    username: form.username.trim(),
    password: unchanged ? null : pw,
    urls: form.urls.map((u) => u.trim()).filter((u) => u !== ''),
    notes: form.notes,
    tags: cleanTags(form.tags),
    fields: form.fields.map((f) => ({
      name: f.name.trim(),
      value: f.keepsHiddenValue && f.value === '' ? null : f.value,
      hidden: f.hidden,
    })),
    rules: cleanRules(form.rules),
    expires: form.expires.trim() === '' ? null : form.expires.trim(),
    // Rust checks and normalises these (origins, patterns); only blanks are left out here. The
    // sequence goes as typed: its spaces are typed too, and the error positions count them.
    alsoFillOn: form.alsoFillOn.map((s) => s.trim()).filter((s) => s !== ''),
    autotypeSequence: form.autotypeSequence.trim() === '' ? null : form.autotypeSequence,
    autotypeWindows: form.autotypeWindows.map((p) => p.trim()).filter((p) => p !== ''),
    totp:
      form.totp.action === 'set' && form.totp.preview
        ? { action: 'set', token: form.totp.preview.token }
        : form.totp.action === 'remove'
          ? { action: 'remove' }
          : { action: 'keep' },
  };
}

/**
 * What saving the form would send, as one comparable string: the editor has unsaved changes when
 * this differs from its value when the editor opened. A revealed password typed back unchanged,
 * or a hidden field left as it was, send the same as before, so they are no change.
 */
export function draftKey(form: EditorForm): string {
  return JSON.stringify(buildDraft(form));
}
