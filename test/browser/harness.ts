import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';

/** Debian's chromium: playwright-core downloads no browser of its own. */
export const chromiumExecutablePath = '/usr/bin/chromium';

export const screenshotsDirectory = path.resolve('test-output', 'screenshots');

const chromiumArguments = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserAvailability =
  { available: true; executablePath: string } | { available: false; reason: string };

export function browserAvailability(): BrowserAvailability {
  if (existsSync(chromiumExecutablePath)) {
    return { available: true, executablePath: chromiumExecutablePath };
  }
  return {
    available: false,
    reason: `chromium absent (${chromiumExecutablePath} introuvable) : apt-get install chromium`,
  };
}

function isBrowserTestingRequired(): boolean {
  return process.env.FLECHAGE_E2E === 'required';
}

function warnLoudly(lines: string[]): void {
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const border = '!'.repeat(width);
  const framed = lines.map((line) => `! ${line.padEnd(width - 4)} !`);
  console.warn(['', border, ...framed, border, ''].join('\n'));
}

/**
 * A `describe` for tests that drive a real browser. Without chromium they are skipped with a
 * warning nobody can miss, except when FLECHAGE_E2E=required (CI), where the suite fails.
 */
export function describeBrowser(name: string, body: () => void): void {
  const availability = browserAvailability();
  if (availability.available) {
    describe(name, body);
    return;
  }
  if (isBrowserTestingRequired()) {
    describe(name, () => {
      throw new Error(
        `Tests navigateur obligatoires (FLECHAGE_E2E=required) mais ${availability.reason}`,
      );
    });
    return;
  }
  warnLoudly([
    'TESTS NAVIGATEUR IGNORÉS : chromium absent (apt-get install chromium)',
    `Suite ignorée : « ${name} »`,
    'Pour les rendre obligatoires : FLECHAGE_E2E=required',
  ]);
  describe.skip(name, body);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutablePath,
    headless: true,
    args: chromiumArguments,
  });
}

/** What a page did that a test should look at: errors, failures and every address it asked for. */
export interface PageActivity {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  requestedUrls: string[];
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  activity: PageActivity;
}

/**
 * Opens a page in a fresh context (no shared cookies or storage) that records its activity and
 * refuses to reach any origin other than the tested server, so an outside dependency shows up
 * as a failure here instead of a slow request on a user's machine.
 */
export async function openWatchedPage(
  browser: Browser,
  options: { baseUrl: string; viewport: { width: number; height: number } },
): Promise<WatchedPage> {
  const allowedOrigin = new URL(options.baseUrl).origin;
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: 'fr-FR',
    serviceWorkers: 'block',
  });
  const activity: PageActivity = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    requestedUrls: [],
  };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    activity.requestedUrls.push(url);
    const isDataUrl = url.startsWith('data:');
    if (isDataUrl || new URL(url).origin === allowedOrigin) await route.continue();
    else await route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') activity.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => activity.pageErrors.push(error.message));
  page.on('requestfailed', (request) => {
    activity.failedRequests.push(`${request.url()} (${request.failure()?.errorText ?? 'échec'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      activity.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
    }
  });
  return { context, page, activity };
}

/** Requested addresses outside the tested server's origin (data: URLs are not requests). */
export function outsideRequests(activity: PageActivity, baseUrl: string): string[] {
  const allowedOrigin = new URL(baseUrl).origin;
  return activity.requestedUrls.filter(
    (url) => !url.startsWith('data:') && new URL(url).origin !== allowedOrigin,
  );
}

/**
 * A page that worked as a user would expect: no script error, no console error, no failed
 * request (except those a test provokes on purpose), nothing fetched from another origin.
 */
export function expectQuietPage(
  { activity }: { activity: PageActivity },
  baseUrl: string,
  expectedFailures: RegExp[] = [],
): void {
  expect(activity.pageErrors).toEqual([]);
  const unexpected = (messages: string[]) =>
    messages.filter((message) => !expectedFailures.some((pattern) => pattern.test(message)));
  expect(unexpected(activity.consoleErrors)).toEqual([]);
  expect(unexpected(activity.failedRequests)).toEqual([]);
  expect(outsideRequests(activity, baseUrl)).toEqual([]);
}

/** Saves a screenshot under test-output/screenshots/ (whole page unless told) and returns its path. */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage: boolean } = { fullPage: true },
): Promise<string> {
  await mkdir(screenshotsDirectory, { recursive: true });
  const filePath = path.join(screenshotsDirectory, `${name}.png`);
  // Fonts load after the DOM: a screenshot taken earlier would show fallback fonts.
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  await page.screenshot({ path: filePath, fullPage: options.fullPage });
  return filePath;
}

export interface AxeViolation {
  rule: string;
  impact: string | null | undefined;
  targets: string[];
}

/** WCAG 2.1 A and AA violations axe-core finds on the page as it is displayed now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // The checker is injected from the local package: the page itself never loads it.
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const checker = (window as unknown as { axe: typeof axe }).axe;
    const result = await checker.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
    });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
}
