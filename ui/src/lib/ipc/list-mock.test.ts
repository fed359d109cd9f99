import { describe, expect, it } from 'vitest';
import { createMockBackend } from './mock';

const TITLES = ['Salesforce', '金蝶', 'Exchange', '钉钉', '纷享销客', '客户1060', '客户110', '客户1023'];

function backend() {
  return createMockBackend({ stage: 'unlocked', entries: TITLES.map((title, i) => ({ id: `x${i}`, title, modified: 1000 + i })) });
}

describe('the mock lists, sorts and searches as Rust does', () => {
  it('sorts by name with Chinese by pinyin and numbers as numbers', async () => {
    const b = backend();
    expect((await b.listEntries()).map((e) => e.title)).toEqual([
      '钉钉', 'Exchange', '纷享销客', '金蝶', '客户110', '客户1023', '客户1060', 'Salesforce',
    ]);
  });

  it('finds Chinese titles by pinyin and initials', async () => {
    const b = backend();
    const list = await b.listEntries();
    for (const query of ['fxxk', 'fenxiang', 'FenXiangXiaoKe', '纷享']) {
      expect((await b.search(query)).map((i) => list[i].title)).toEqual(['纷享销客']);
    }
  });

  it('sorts by last use and by last change; the saved sort is the default', async () => {
    const b = backend();
    await b.copy('x7', 'username');
    const used = await b.listEntries('used');
    expect(used[0].title).toBe('客户1023');
    expect(used[0].lastUsed).not.toBeNull();
    expect(used[1].lastUsed).toBeNull();
    expect((await b.listEntries('changed'))[0].title).toBe('客户1023');
    const state = await b.appState();
    await b.updateSettings({ ...state.settings, listSort: 'used' });
    expect((await b.listEntries())[0].title).toBe('客户1023');
  });

  it('stars without changing the entry, and deletes for ever only from the trash', async () => {
    const b = backend();
    await b.setFavourite('x0', true);
    const star = (await b.listEntries()).find((e) => e.id === 'x0')!;
    expect(star.favourite).toBe(true);
    expect(star.modified).toBe(1000);
    await expect(b.purgeEntry('x1')).rejects.toMatchObject({ code: 'invalid' });
    await b.deleteEntry('x1');
    expect((await b.listTrash())[0].deleted).not.toBeNull();
    await b.purgeEntry('x1');
    expect(await b.listTrash()).toEqual([]);
    await b.deleteEntry('x2');
    await b.deleteEntry('x3');
    expect(await b.emptyTrash()).toBe(2);
    expect((await b.listEntries()).length).toBe(TITLES.length - 3);
  });
});
