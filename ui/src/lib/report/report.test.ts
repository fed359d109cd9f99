import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderApp, renderUnlocked } from '../../test/helpers';

const DAY = 86_400_000;
const now = Date.now();
const ENTRIES = [
  { id: 'erp', title: 'ERP', username: 'li', password: 'Shared-Long-Password-77', passwordChanged: now },
  { id: 'mail', title: 'Mail', username: 'li', password: 'Shared-Long-Password-77', passwordChanged: now },
  {
    id: 'portal',
    title: 'Portal',
    username: 'li',
    password: 'password1',
    passwordChanged: now - 200 * DAY,
    rules: { minLength: 10, maxLength: 12, symbols: '#', required: { lower: true, upper: true, digits: true, symbols: true } },
  },
  { id: 'vpn', title: 'VPN', username: 'li', password: 'Unique-Tunnel-Passphrase-42', passwordChanged: now, expires: '2020-01-31' },
];

describe('security report', () => {
  it('opens from the toolbar: counts per kind, findings in words, filters, Esc closes', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    // As Rust reports it (fixtures/reports.json): Portal's password is weak, common and old.
    expect(screen.getByTestId('report-summary').textContent).toBe('4 passwords checked, 6 findings.');
    expect(screen.getByTestId('report-count-reused').textContent).toContain('2');
    expect(screen.getByTestId('report-count-weak').textContent).toContain('1');
    expect((screen.getByTestId('report-count-breached') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('report-breaches').textContent).toContain('Not checked against breaches');
    const texts = screen.getAllByTestId('report-card').map((f) => f.textContent);
    expect(texts.some((t) => t?.includes('ERP') && t.includes('Same password as Mail.'))).toBe(true);
    expect(texts.some((t) => t?.includes('VPN') && t.includes('Expired on'))).toBe(true);
    expect(texts.some((t) => t?.includes('Portal') && t.includes('Unchanged for 200 days; passwords are changed every 90 days.'))).toBe(true);
    await user.click(screen.getByTestId('report-count-reused'));
    expect(screen.getAllByTestId('report-finding').map((f) => f.dataset.kind)).toEqual(['reused', 'reused']);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('report')).toBeNull();
  });

  it('Ctrl+R toggles it; the words follow the language', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES, settings: { language: 'zh-CN' } });
    await user.keyboard('{Control>}r{/Control}');
    await screen.findByTestId('report-summary');
    expect(screen.getByTestId('report-summary').textContent).toBe('已检查 4 个密码，发现 6 个问题。');
    expect(screen.getAllByTestId('report-finding').some((f) => f.textContent?.includes('与 Mail 使用相同的密码。'))).toBe(true);
    await user.keyboard('{Control>}r{/Control}');
    expect(screen.queryByTestId('report')).toBeNull();
  });

  it('"fix" opens the entry with a new password made by its rules, and saving returns to the report', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    const forRules = vi.spyOn(backend, 'generateForRules');
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const portal = screen.getAllByTestId('report-card').find((c) => c.textContent?.includes('Portal'))!;
    await user.click(within(portal).getByTestId('report-fix'));
    const password = (await screen.findByTestId('editor-password')) as HTMLInputElement;
    await waitFor(() => expect(password.value).not.toBe(''));
    expect(forRules).toHaveBeenCalledWith(ENTRIES[2].rules);
    expect(password.value.length).toBeGreaterThanOrEqual(10);
    expect(password.value.length).toBeLessThanOrEqual(12);
    expect(password.value).toMatch(/^[A-Za-z0-9#]+$/);
    expect(screen.getByTestId('generator-follows-rules')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('editor-generate'));
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(backend.entries.find((e) => e.id === 'portal')!.password).toBe(password.value));
    await waitFor(() => expect(screen.getByTestId('report-summary').textContent).toBe('4 passwords checked, 3 findings.'));
  });

  it('a breach list chosen in settings is searched, and the report says so', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES, pickedHibpFile: '/data/pwned-passwords-sha1-ordered-by-hash-v8.txt' });
    await user.click(screen.getByTestId('settings-open'));
    await user.click(screen.getByTestId('settings-report'));
    expect(screen.getByTestId('settings-hibp-none')).toBeTruthy();
    await user.click(screen.getByTestId('settings-hibp-choose'));
    await waitFor(() => expect(screen.getByTestId('settings-hibp-file').textContent).toContain('pwned-passwords'));
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    expect(screen.getByTestId('report-breaches').textContent).toContain('Checked offline against the breach list /data/pwned');
    expect(screen.getAllByTestId('report-finding').some((f) => f.textContent?.includes('Found in data breaches 2,413,945 times'))).toBe(true);
  });

  it('rotation period, name and company are saved with the vault', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('settings-open'));
    await user.click(screen.getByTestId('settings-report'));
    const days = screen.getByTestId('settings-rotation') as HTMLInputElement;
    expect(days.value).toBe('90');
    await user.clear(days);
    await user.type(days, '30');
    await user.type(screen.getByTestId('settings-owner'), 'Li Wei');
    await user.type(screen.getByTestId('settings-company'), 'Acme Trading');
    await user.tab();
    await waitFor(async () => expect((await backend.appState()).settings).toMatchObject({ rotationDays: 30, ownerName: 'Li Wei', company: 'Acme Trading' }));
    await user.click(screen.getByTestId('settings-rotation-on'));
    await waitFor(async () => expect((await backend.appState()).settings.rotationDays).toBeNull());
  });
});

describe('report cards', () => {
  const cardTitles = () => screen.getAllByTestId('report-card').map((c) => within(c).getByTestId('report-title').textContent);

  it('shows one card per entry with all its findings, the most urgent cards first', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    // Portal has three findings (common, weak, old) and appears once.
    expect(cardTitles()).toEqual(['ERP', 'Mail', 'Portal', 'VPN']);
    const portal = screen.getAllByTestId('report-card').find((c) => c.dataset.entryId === 'portal')!;
    expect(within(portal).getAllByTestId('report-finding').map((f) => f.dataset.kind)).toEqual(['common', 'weak', 'old']);
    expect(within(portal).getAllByTestId('report-fix')).toHaveLength(1);
    // Still six findings in all, as the summary says.
    expect(screen.getAllByTestId('report-finding')).toHaveLength(6);
    expect(screen.getByText('4 entries need attention.')).toBeTruthy();
  });

  it('colours each card and badge by severity and says it in words', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const cards = screen.getAllByTestId('report-card');
    const severityOf = (title: string) => cards.find((c) => c.textContent?.includes(title))!;
    // A card takes its most urgent finding's severity: Portal's common password outranks old.
    expect(severityOf('Portal').dataset.severity).toBe('high');
    expect(within(severityOf('Portal')).getByTestId('report-severity').textContent).toBe('High risk');
    expect(severityOf('VPN').dataset.severity).toBe('medium');
    expect(within(severityOf('VPN')).getByTestId('report-severity').textContent).toBe('Medium risk');
    const kinds = Object.fromEntries(within(severityOf('Portal')).getAllByTestId('report-finding').map((f) => [f.dataset.kind, f.dataset.severity]));
    expect(kinds).toEqual({ common: 'high', weak: 'medium', old: 'low' });
    expect(within(severityOf('Portal')).getByText('Old').className).toContain('low');
  });

  it('shows the vault score Rust computed, with its verdict', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const score = screen.getByTestId('report-score');
    // Three entries with high findings and one medium among four: 100 × (1 − 3.5 / 4), rounded down.
    expect(score.getAttribute('aria-label')).toBe('Vault score: 12 of 100');
    expect(score.textContent).toContain('12');
    expect(score.className).toContain('poor');
    expect(screen.getByTestId('report-verdict').textContent).toBe('Several passwords are at risk: start with the red cards.');
  });

  it('a fixed password raises the score; a clean vault scores 100', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const portal = screen.getAllByTestId('report-card').find((c) => c.dataset.entryId === 'portal')!;
    await user.click(within(portal).getByTestId('report-fix'));
    await waitFor(() => expect((screen.getByTestId('editor-password') as HTMLInputElement).value).not.toBe(''));
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(screen.getByTestId('report-score').getAttribute('aria-label')).toBe('Vault score: 37 of 100'));
    expect(cardTitles()).toEqual(['ERP', 'Mail', 'VPN']);
  });

  it('a title opens the entry, and the filter keeps whole cards', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    await user.click(screen.getByTestId('report-count-old'));
    expect(cardTitles()).toEqual(['Portal']);
    expect(screen.getAllByTestId('report-finding')).toHaveLength(3);
    const title = screen.getByRole('button', { name: 'Open Portal' });
    await user.click(title);
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('Portal'));
    expect(screen.queryByTestId('report')).toBeNull();
  });

  it('zero-count chips keep their words readable (not dimmed)', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const zero = screen.getByTestId('report-count-breached') as HTMLButtonElement;
    expect(zero.disabled).toBe(true);
    expect(zero.className).toContain('zero');
    expect(zero.textContent).toContain('0');
  });
});

describe('rotation reminder', () => {
  it('after unlocking, a note (not a dialog) says how many passwords are due, and leads to the report', async () => {
    const { user } = await renderApp({ entries: ENTRIES });
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    const banner = await screen.findByTestId('rotation-banner');
    expect(banner.textContent).toContain('2 passwords are due for a change.');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(screen.getByTestId('rotation-show'));
    await screen.findByTestId('report-summary');
    expect(screen.queryByTestId('rotation-banner')).toBeNull();
  });
});
