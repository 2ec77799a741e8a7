/**
 * A real headless browser for tests and benchmarks: Debian's `chromium`, driven by
 * puppeteer-core. When chromium is absent, tests skip loudly; under CI (CI=true) they fail
 * (the same rule as the QEMU peers in ./qemu.ts).
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { inCI } from './qemu.js';

export const CHROMIUM = '/usr/bin/chromium';

export function haveChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (inCI) throw new Error(`${CHROMIUM} is required under CI but was not found`);
  console.warn(`\n*** ${CHROMIUM} is not installed: the browser tests are SKIPPED. ***\n*** Install Debian's chromium to run them. ***\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
}

/** The console errors and uncaught exceptions of a page, collected from now on. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
  return errors;
}
