import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderApp } from '../../test/helpers';

const ENTRIES = [
  { id: 'erp', title: 'ERP', username: 'li', password: 'Erp-Long-Password-77' },
  { id: 'mail', title: 'Mail', username: 'li', password: 'Mail-Long-Password-42' },
];
const YESTERDAY = new Date();
YESTERDAY.setDate(YESTERDAY.getDate() - 1);
YESTERDAY.setHours(22, 14, 0, 0);

describe('activity view', () => {
  it('tells of failed attempts after the unlock, lists the activity, filters it, and shows an entry\'s recent activity', async () => {
    const { user } = await renderApp({
      entries: ENTRIES,
      settings: { language: 'en' },
      unlockNotices: [{ kind: 'failed-attempts', device: 'LAPTOP-2', deviceId: '02', count: 3, atMs: YESTERDAY.getTime() }],
    });
    await user.type(screen.getByTestId('unlock-password'), 'not it{Enter}');
    await screen.findByRole('alert');
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    const notice = await screen.findByTestId('unlock-notice');
    expect(notice.textContent).toBe('3 failed attempts on LAPTOP-2, yesterday 22:14');

    await waitFor(() => expect(screen.getAllByTestId('entry-row').length).toBe(2));
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('copy-password'));
    await waitFor(() =>
      expect(screen.getAllByTestId('recent-activity-row').map((r) => r.dataset.kind)).toContain('copy'),
    );

    await user.click(screen.getByTestId('activity-open'));
    await screen.findByTestId('activity-view');
    await waitFor(() =>
      expect(screen.getAllByTestId('activity-row').map((r) => r.dataset.kind)).toEqual(['copy', 'unlock', 'unlock-failed']),
    );
    const copyRow = screen.getAllByTestId('activity-row')[0];
    expect(copyRow.textContent).toContain('Copied');
    expect(copyRow.textContent).toContain('ERP');
    expect(copyRow.textContent).toContain('password');
    expect(copyRow.textContent).not.toContain('Erp-Long-Password-77');

    await user.selectOptions(screen.getByTestId('activity-filter-kind'), 'unlock-failed');
    await waitFor(() => expect(screen.getAllByTestId('activity-row').map((r) => r.dataset.kind)).toEqual(['unlock-failed']));
    await user.click(screen.getByTestId('activity-filter-clear'));
    await waitFor(() => expect(screen.getAllByTestId('activity-row').length).toBe(3));

    // The entry's title goes to the entry; its "all activity" comes back filtered to it.
    await user.click(within(screen.getAllByTestId('activity-row')[0]).getByRole('button', { name: 'ERP' }));
    await user.click(await screen.findByTestId('recent-activity-all'));
    await waitFor(() => expect(screen.getAllByTestId('activity-row').map((r) => r.dataset.kind)).toEqual(['copy']));
    expect((screen.getByTestId('activity-filter-entry') as HTMLSelectElement).value).toBe('erp');
  });
});
