// Chinese: switched in settings, applied at once, kept after a restart.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEntry, byTestId, changeSettings, createVault, dismissToast, launch, openEntry, quit, screenshot, withApp } from './lib/app.mjs';

test('switching to Simplified Chinese in settings changes the whole window and is remembered', { timeout: 60_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    let browser = session.browser;
    await createVault(browser);
    await addEntry(browser, { title: '销售管理系统', username: 'wang.fang', password: 'Xiao$hou-2024', url: 'https://crm.example.cn', tags: ['客户'] });
    await addEntry(browser, { title: 'Outlook', username: 'wang.fang@example.com', password: 'Mail-Box-99!' });
    assert.equal(await byTestId(browser, 'lock').getText(), 'Lock');

    await changeSettings(browser, async () => {
      await byTestId(browser, 'settings-language').selectByAttribute('value', 'zh-CN');
    });
    await browser.waitUntil(async () => (await byTestId(browser, 'lock').getText()) === '锁定', {
      timeoutMsg: 'the lock button did not turn Chinese',
    });
    assert.match(await byTestId(browser, 'search').getAttribute('placeholder'), /^搜索/);
    assert.equal(await byTestId(browser, 'new-entry').getText(), '+ 新建条目');
    assert.equal(await browser.execute(() => document.documentElement.lang), 'zh-CN');
    await openEntry(browser, '销售管理系统');
    assert.equal(await byTestId(browser, 'edit-entry').getText(), '编辑');
    await dismissToast(browser);
    await screenshot(browser, 'chinese');

    await quit(browser, driver);
    session.browser = browser = await launch(driver);
    await byTestId(browser, 'unlock-submit').waitForExist();
    assert.equal(await byTestId(browser, 'unlock-submit').getText(), '解锁', 'Chinese is kept after a restart');
    assert.equal(await browser.$('main.unlock h1').getText(), '解锁保险库');
  }));
