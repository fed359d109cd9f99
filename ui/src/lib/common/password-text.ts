/** What kind of character a run of a shown password is: letters stay in the text colour. */
export type RunKind = 'letter' | 'digit' | 'symbol';

export interface Run {
  kind: RunKind;
  text: string;
}

function kindOf(ch: string): RunKind {
  if (/\p{Nd}/u.test(ch)) return 'digit';
  if (/[\p{L}\p{M}]/u.test(ch)) return 'letter';
  return 'symbol';
}

/** Splits a password into runs of one kind, by code point (never inside a surrogate pair). */
export function passwordRuns(value: string): Run[] {
  const runs: Run[] = [];
  for (const ch of value) {
    const kind = kindOf(ch);
    const last = runs[runs.length - 1];
    if (last && last.kind === kind) last.text += ch;
    else runs.push({ kind, text: ch });
  }
  return runs;
}
