import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';
import { MOCK_HANDOVER_PASSPHRASE } from '../ipc/mock';

async function openOutlook(r: Awaited<ReturnType<typeof renderUnlocked>>) {
  await r.user.type(screen.getByTestId('search'), 'outlook');
  await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
  await r.user.click(screen.getAllByTestId('entry-row')[0]);
  await screen.findByTestId('detail-title');
}

describe('hand-over', () => {
  it('hands the entry over with the suggested passphrase for the length chosen', async () => {
    const r = await renderUnlocked();
    await openOutlook(r);
    const make = vi.spyOn(r.backend, 'makeHandover');
    await r.user.click(screen.getByTestId('handover-entry'));
    await waitFor(() => expect((screen.getByTestId('handover-passphrase') as HTMLInputElement).value).toBe(MOCK_HANDOVER_PASSPHRASE));
    await r.user.type(screen.getByTestId('handover-to'), 'Wang Fang');
    await r.user.selectOptions(screen.getByTestId('handover-unit'), 'days');
    await r.user.clear(screen.getByTestId('handover-amount'));
    await r.user.type(screen.getByTestId('handover-amount'), '31');
    expect(screen.getByText('From 1 hour to 30 days.')).toBeTruthy();
    expect((screen.getByTestId('handover-save') as HTMLButtonElement).disabled).toBe(true);
    await r.user.clear(screen.getByTestId('handover-amount'));
    await r.user.type(screen.getByTestId('handover-amount'), '3');
    await r.user.click(screen.getByTestId('handover-save'));
    await screen.findByTestId('handover-done');
    expect(make).toHaveBeenCalledWith(['e00002'], 'Wang Fang', 72, MOCK_HANDOVER_PASSPHRASE, '/home/li/handover.crmhandover');
    expect(screen.getByTestId('handover-done').textContent).toContain('/home/li/handover.crmhandover');
  });

  it('a received entry shows who handed it over and has no Edit', async () => {
    const r = await renderUnlocked();
    const original = r.backend.entryDetail.bind(r.backend);
    vi.spyOn(r.backend, 'entryDetail').mockImplementation(async (id) => ({ ...(await original(id)), handedOver: { giver: 'Li Wei', expires: null } }));
    await openOutlook(r);
    expect(screen.getByTestId('handed-over-badge').textContent).toBe('Handed over by Li Wei');
    expect(screen.queryByTestId('edit-entry')).toBeNull();
    expect(screen.queryByTestId('handover-entry')).toBeNull();
  });

  it('receiving says what went wrong, then what arrived', async () => {
    const r = await renderUnlocked();
    await r.user.click(screen.getByTestId('receive-open'));
    await r.user.click(screen.getByTestId('receive-choose'));
    await waitFor(() => expect(screen.getByTestId('receive-path').textContent).toContain('crm.crmhandover'));
    await r.user.type(screen.getByTestId('receive-passphrase'), 'not it');
    await r.user.click(screen.getByTestId('receive-submit'));
    expect((await screen.findByTestId('receive-error')).textContent).toContain('The passphrase is wrong');
    await r.user.clear(screen.getByTestId('receive-passphrase'));
    await r.user.type(screen.getByTestId('receive-passphrase'), MOCK_HANDOVER_PASSPHRASE);
    await r.user.click(screen.getByTestId('receive-submit'));
    expect((await screen.findByTestId('receive-done')).textContent).toMatch(/^1 entry arrived from Li Wei, until/);
  });
});
