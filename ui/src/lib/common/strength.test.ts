import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import StrengthView from './StrengthView.svelte';
import { isWeak, strengthKey } from './strength';
import type { Strength } from '../ipc/types';

function strength(score: number, warning: string | null = null): Strength {
  return { score, warning, suggestions: ['add-another-word-or-two'] } as unknown as Strength;
}

describe('one strength verdict', () => {
  it('every score the report calls weak reads weak; none reads "fair"', () => {
    expect([0, 1, 2, 3, 4].map(strengthKey)).toEqual(['strength.0', 'strength.1', 'strength.1', 'strength.3', 'strength.4']);
    expect([0, 1, 2, 3, 4].map(isWeak)).toEqual([true, true, true, false, false]);
  });

  it('the meter says weak with its warning for score 2, and no warning or tip under a strong verdict', () => {
    const { rerender } = render(StrengthView, { password: 'Summer2024', strength: strength(2, 'recent-years-are-easy-to-guess') });
    const meter = screen.getByTestId('strength');
    expect(meter.textContent).toContain('Strength: weak');
    expect(meter.textContent).toContain('Recent years are easy to guess.');
    expect(meter.textContent).not.toContain('fair');
    rerender({ password: 'Violet-Canyon-Maple-Falcon-93', strength: strength(4, 'recent-years-are-easy-to-guess') });
    expect(meter.textContent).toContain('Strength: very strong');
    expect(meter.textContent).not.toContain('easy to guess');
    expect(meter.textContent).not.toContain('Add another word');
  });
});
