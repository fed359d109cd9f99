import { describe, expect, it } from 'vitest';
import { passwordRuns } from './password-text';

describe('passwordRuns', () => {
  it('splits letters, digits and symbols into runs that join back to the password', () => {
    const runs = passwordRuns('Ab12-$x');
    expect(runs).toEqual([
      { kind: 'letter', text: 'Ab' },
      { kind: 'digit', text: '12' },
      { kind: 'symbol', text: '-$' },
      { kind: 'letter', text: 'x' },
    ]);
    expect(runs.map((r) => r.text).join('')).toBe('Ab12-$x');
  });

  it('keeps Chinese letters as letters and a space or emoji as a symbol, whole', () => {
    expect(passwordRuns('密码 😀9')).toEqual([
      { kind: 'letter', text: '密码' },
      { kind: 'symbol', text: ' 😀' },
      { kind: 'digit', text: '9' },
    ]);
  });

  it('gives no runs for an empty password', () => {
    expect(passwordRuns('')).toEqual([]);
  });
});
