// Writes the same N entries as a CSV for `crm-vault import` (name,url,username,password,note) and
// as a KeePass 2 XML file for `keepassxc-cli import`, from a fixed seed.
//
//   node gen.mjs N OUT_DIR   ->  OUT_DIR/entries.csv, OUT_DIR/entries.xml, OUT_DIR/entries.json
// entries.json holds the searchable text of every entry (what the search figure checks counts against).

import { writeFileSync } from 'node:fs';
import path from 'node:path';

const [n, out] = [Number(process.argv[2] ?? 10000), process.argv[3] ?? '.'];

let seed = 42;
function rand() {
  // mulberry32: the same entries on every run and machine.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const CH = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-=?@^_';
const password = () => Array.from({ length: 20 }, () => CH[Math.floor(rand() * CH.length)]).join('');

const SYSTEMS = [
  ['Salesforce', 'login.salesforce.com'],
  ['纷享销客', 'www.fxiaoke.com'],
  ['HubSpot', 'app.hubspot.com'],
  ['企业微信', 'work.weixin.qq.com'],
  ['Outlook Mail', 'outlook.office.com'],
  ['钉钉', 'login.dingtalk.com'],
  ['SAP ERP', 'erp.example.com'],
  ['用友 U8', 'u8.yonyou.com'],
  ['Zoho CRM', 'accounts.zoho.com'],
  ['金蝶云星空', 'cloud.kingdee.com'],
  ['Partner Portal', 'partners.example.net'],
  ['销售易', 'login.xiaoshouyi.com'],
];
const REGIONS = ['华东', '华南', '华北', 'West', 'East', 'Central', '西南'];
const CUSTOMERS = ['Acme Corp', '上海贸易有限公司', 'Globex', '深圳科技', 'Initech', '北京咨询', 'Umbrella', '杭州物流'];
const PEOPLE = ['li.wei', 'wang.fang', 'zhang.min', 'chen.jing', 'j.smith', 'm.garcia', 'liu.yang', 'a.mueller'];

const csvField = (s) => `"${s.replaceAll('"', '""')}"`;
const xml = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const uuid = (i) => Buffer.from(i.toString(16).padStart(32, '0'), 'hex').toString('base64');

const csv = ['name,url,username,password,note'];
const kx = [
  '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
  '<KeePassFile>',
  '\t<Meta><Generator>measure-app</Generator><DatabaseName>measure</DatabaseName></Meta>',
  `\t<Root>\n\t\t<Group>\n\t\t\t<UUID>${uuid(0xffffffff)}</UUID>\n\t\t\t<Name>Root</Name>`,
];
const haystacks = [];
for (let i = 0; i < n; i++) {
  const [system, host] = SYSTEMS[i % SYSTEMS.length];
  const region = pick(REGIONS);
  const customer = pick(CUSTOMERS);
  const person = pick(PEOPLE);
  const title = `${system} ${region} ${customer} #${i}`;
  const user = `${person}${i % 97}@example.com`;
  const pass = password();
  const url = `https://${host}/login?account=${i}`;
  const notes = `Account for ${customer} (${region}). 客户经理: ${person}. Renewal due ${2026 + (i % 3)}-${String(1 + (i % 12)).padStart(2, '0')}; call the front desk before visiting.`;
  csv.push([title, url, user, pass, notes].map(csvField).join(','));
  kx.push(
    `\t\t\t<Entry>\n\t\t\t\t<UUID>${uuid(i + 1)}</UUID>`,
    `\t\t\t\t<String><Key>Title</Key><Value>${xml(title)}</Value></String>`,
    `\t\t\t\t<String><Key>UserName</Key><Value>${xml(user)}</Value></String>`,
    `\t\t\t\t<String><Key>Password</Key><Value ProtectInMemory="True">${xml(pass)}</Value></String>`,
    `\t\t\t\t<String><Key>URL</Key><Value>${xml(url)}</Value></String>`,
    `\t\t\t\t<String><Key>Notes</Key><Value>${xml(notes)}</Value></String>`,
    '\t\t\t</Entry>',
  );
  // What the vault's search looks in (crates/vault/src/find.rs): title, username, URLs, tags, notes.
  haystacks.push([title, user, url, notes].join('\n').toLowerCase());
}
kx.push('\t\t</Group>\n\t</Root>\n</KeePassFile>');
writeFileSync(path.join(out, 'entries.csv'), csv.join('\n') + '\n');
writeFileSync(path.join(out, 'entries.xml'), kx.join('\n') + '\n');
writeFileSync(path.join(out, 'entries.json'), JSON.stringify(haystacks));
