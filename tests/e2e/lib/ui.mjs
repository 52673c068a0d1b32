// Small verbs the flows are written in: wait for something the issue requires (and say
// precisely what is missing when the console lacks it), read texts, check that a form made no
// call, log in, move between pages.

import { readFileSync } from 'node:fs';

import * as S from './selectors.mjs';

/** The console lacks an element a flow needs: reported as such, not as a plain timeout. */
export class Missing extends Error {
  constructor(what, selector) {
    super(`console lacks ${what} (selector ${selector})`);
    this.what = what;
    this.selector = selector;
  }
}

export class CheckFailed extends Error {}

export function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/** Waits for `selector` (visible by default) and returns its locator, or throws Missing. */
export async function need(page, selector, what, { timeout = 10_000, state = 'visible', within } = {}) {
  const root = within ?? page;
  const locator = typeof selector === 'string' ? root.locator(selector).first() : selector;
  try {
    await locator.waitFor({ state, timeout });
  } catch {
    throw new Missing(what, typeof selector === 'string' ? selector : String(selector));
  }
  return locator;
}

/** Polls `probe` until it returns a truthy value; throws with `what` and the last value. */
export async function until(probe, what, { timeout = 30_000, every = 250 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = `error: ${e.message.split('\n')[0]}`;
    }
    if (Date.now() > deadline) {
      throw new CheckFailed(`timed out after ${timeout / 1000} s waiting for ${what} (last seen: ${JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

export async function text(locator) {
  return ((await locator.textContent()) ?? '').trim();
}

/** Types into a field as a user does (fill fires `input`), then leaves it. */
export async function type(page, selector, value, what) {
  const field = await need(page, selector, what ?? `field ${selector}`);
  await field.fill(value);
  await field.blur();
}

export async function choose(page, selector, value, what) {
  const field = await need(page, selector, what ?? `select ${selector}`);
  await until(
    async () => (await field.locator(`option[value="${value}"]`).count()) > 0,
    `option ${value} in ${selector}`,
    { timeout: 10_000 },
  );
  await field.selectOption(value);
}

/** The inline error of a field, waited for. */
export async function fieldError(page, fieldId) {
  const sel = S.fieldError(fieldId);
  await need(page, sel, `the inline error of #${fieldId}`, { state: 'attached' });
  return until(async () => text(page.locator(sel)), `an error message under #${fieldId}`, { timeout: 5_000 });
}

/** The state badge in a row (`data-state`), or null when the row is gone. */
export async function rowState(page, rowSelector) {
  const row = page.locator(rowSelector);
  if ((await row.count()) === 0) return null;
  return row.first().locator(S.state).getAttribute('data-state');
}

export async function waitRowState(page, rowSelector, wanted, what) {
  const accept = Array.isArray(wanted) ? wanted : [wanted];
  return until(async () => {
    const s = await rowState(page, rowSelector);
    return accept.includes(s) ? s : false;
  }, `${what} to be ${accept.join(' or ')}`);
}

/** Code and request id of an error box (by its test id), waited for. */
export async function providerError(page, boxSelector, what, { timeout = 15_000 } = {}) {
  const box = page.locator(boxSelector).first();
  const code = await need(page, box.locator(S.errorBox.code), `the error code in ${what}`, { timeout });
  const requestId = box.locator(S.errorBox.requestId);
  return {
    code: await text(code),
    message: await text(box.locator(S.errorBox.message)).catch(() => ''),
    requestId: (await requestId.count()) ? await text(requestId) : null,
  };
}

/** Asserts that the submit button is disabled and that forcing a submit still sends nothing. */
export async function submitRefused(page, proxy, formSelector, submitSelector, what) {
  const submit = await need(page, submitSelector, `the submit button of ${what}`);
  check(await submit.isDisabled(), `${what}: submit is enabled with invalid input`);
  const mark = proxy.mark();
  // Bypass the disabled button: the form's own guard must still refuse to send.
  await page.locator(formSelector).first().evaluate((form) => form.requestSubmit());
  await page.waitForTimeout(800);
  const sent = proxy.formCallsSince(mark);
  check(sent.length === 0, `${what}: invalid input reached the proxy: ${JSON.stringify(sent)}`);
}

/** Opens the printed login URL; the console must then show its home page. */
export async function loginByLink(page, proxy) {
  await page.goto(proxy.nextLoginUrl());
  await need(page, S.shell.home, 'the home page after login', { timeout: 20_000 });
  // The home page is the inventory: its sweep goes on in the background after the user moves
  // on, so flows that count calls start once it has ended.
  await need(page, `${S.inventory.status}[data-done="true"]`, 'the end of the inventory sweep after login', { timeout: 60_000 });
}

export async function go(page, where) {
  const link = await need(page, S.shell.nav[where], `the navigation link to ${where}`);
  await link.click();
  const pageSel = where === 'outposts' ? S.outposts.page : where === 'oci' ? S.oci.page : S.dx.page(where);
  await need(page, pageSel, `the ${where} page`);
}

/** Waits for the inventory's sweep under way to end; returns its summary line. */
export async function swept(page) {
  await until(async () => (await page.locator(`${S.inventory.status}[data-done="true"]`).count()) > 0, 'the sweep to end', { timeout: 90_000 });
  return text(page.locator(S.inventory.status));
}

/**
 * Waits for `selector` to show the seeded interface's BGP session down: the sandbox takes
 * dxvif-dub0003c's session down 15 s after it started (`started`, ms), so once that time has
 * passed, the inventory is swept again until it shows.
 */
export async function untilBgpDown(page, selector, started, what) {
  await until(async () => {
    if ((await page.locator(selector).count()) > 0) return true;
    if (Date.now() - started > 16_000) {
      await page.locator(S.inventory.sweep).click();
      await swept(page);
    }
    return (await page.locator(selector).count()) > 0;
  }, what, { timeout: 60_000, every: 2_000 });
}

/** Clicks `button` and reads the file it downloads: its suggested name, path and text. */
export async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), path, content: readFileSync(path, 'utf8') };
}
