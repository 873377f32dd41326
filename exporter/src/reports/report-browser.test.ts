import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { loadDemoData } from '../demo';
import { withReadOnly } from '../db/pool';
import { createTestSchema, TestSchema } from '../testing/db';
import { buildReport } from './build';
import { renderHtml } from './render-html';

// The weekly report's HTML mail in a real browser (headless Chromium): every chart image decodes
// and the page is drawn. SAASMON_UPDATE_SCREENSHOTS=1 saves docs/img/weekly-report.png (the README's).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NOW = new Date('2026-06-17T09:00:00Z');
let db: TestSchema;
let browser: Browser;

beforeAll(async () => {
  db = await createTestSchema('report_browser');
  await loadDemoData(db.url, db.schema, { scale: 'S', now: NOW });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await db?.close();
});

it('renders the weekly report mail with every chart drawn', async () => {
  expect(existsSync(CHROMIUM)).toBe(true);
  const config = db.config({ reports: { timeZone: 'Europe/Berlin', funnel: { steps: ['login', 'report.created', 'report.exported'] } } });
  const report = await withReadOnly(db.pool, (c) => buildReport(c, config, { kind: 'weekly', at: NOW }));
  expect(report.sections.filter((s) => s.error)).toEqual([]);
  const { html } = renderHtml(report, 'data');
  const page = await browser.newPage({ viewport: { width: 720, height: 900 }, deviceScaleFactor: 1 });
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth === 1280 })));
    expect(images.length).toBeGreaterThanOrEqual(4);
    expect(images.filter((i) => !i.ok)).toEqual([]);
    const png = await page.screenshot({ fullPage: true });
    expect(png.length).toBeGreaterThan(50_000);
    if (process.env.SAASMON_UPDATE_SCREENSHOTS === '1') writeFileSync(resolve(__dirname, '../../../docs/img/weekly-report.png'), png);
  } finally {
    await page.close();
  }
});
