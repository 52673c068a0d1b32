// The console at 360 px wide, a phone held upright: every page fits the width (wide tables
// scroll inside their own box, the page does not), with a screenshot of each, light and dark.

import { check, go, loginByLink, need } from '../lib/ui.mjs';
import * as S from '../lib/selectors.mjs';

const WIDTH = 360;

async function fits(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

export const narrowScenario = {
  name: 'narrow',
  async run({ page, proxy, browser }) {
    await page.setViewportSize({ width: WIDTH, height: 780 });
    await loginByLink(page, proxy);
    const overflowing = [];
    // The home page is the inventory: measured once its table is full.
    await need(page, `${S.inventory.status}[data-done="true"]`, 'the inventory sweep to end', { timeout: 60_000 });
    await need(page, `${S.inventory.row}[data-id="dxcon-dub0001a"]`, 'a swept row in the inventory');
    if (!(await fits(page))) overflowing.push('home');
    await browser.visit('narrow-home');
    for (const where of ['directconnect', 'directlink', 'outposts', 'oci']) {
      await go(page, where);
      if (where === 'directconnect' || where === 'directlink') {
        await need(page, S.dx.noConnections, `the connections list on ${where}`, { timeout: 15_000 });
      }
      if (!(await fits(page))) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        overflowing.push(`${where} (${width} px)`);
      }
      await browser.visit(`narrow-${where}`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await browser.screenshot(`narrow-${where}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
    }
    check(overflowing.length === 0, `pages wider than ${WIDTH} px: ${overflowing.join(', ')}`);
  },
};
