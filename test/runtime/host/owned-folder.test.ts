/**
 * Temporary folders of dead owners are removed by the next one made, and nothing else is:
 * not a folder of a live owner, not one without the marker or with a foreign one, not a link.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeOwnedFolder, removeStaleFolders } from '../../../runtime/host/owned-folder.js';

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'owned-folder-test-'));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

/** A pid that no process has any more (a child that ran and was reaped). */
function deadPid(): number {
  return spawnSync('true').pid;
}

/** This process's marker, as makeOwnedFolder writes it (made elsewhere: making one also cleans up). */
function ownMarker(): Record<string, unknown> {
  const elsewhere = mkdtempSync(join(tmpdir(), 'owned-folder-marker-'));
  try {
    return JSON.parse(readFileSync(join(makeOwnedFolder('x-', elsewhere), '.qmp-ts-owner'), 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(elsewhere, { recursive: true });
  }
}

/** A folder marked like makeOwnedFolder marks one, with `owner` changed. */
function markedFolder(name: string, owner: Record<string, unknown>): string {
  const folder = join(parent, name);
  mkdirSync(folder, { mode: 0o700 });
  writeFileSync(join(folder, '.qmp-ts-owner'), JSON.stringify({ ...ownMarker(), ...owner }));
  writeFileSync(join(folder, 'qmp.sock'), '');
  return folder;
}

describe('owned temporary folders', () => {
  it('makes a private folder marked with this process', () => {
    const folder = makeOwnedFolder('test-', parent);
    expect(folder).toMatch(/\/qmp-ts-test-\w{6}$/);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(join(folder, '.qmp-ts-owner'), 'utf8'))).toMatchObject({ by: 'qmp-ts temporary folder', pid: process.pid });
  });

  it('removes the folders of dead owners, and of owners from before the last boot', () => {
    const dead = markedFolder('qmp-ts-dead', { pid: deadPid() });
    const rebooted = markedFolder('qmp-ts-rebooted', { pid: process.pid, boot: 'another boot' });
    expect(removeStaleFolders(parent).sort()).toEqual([dead, rebooted]);
    expect(existsSync(dead)).toBe(false);
  });

  it('removes the folder when the pid now belongs to a later process', () => {
    const reused = markedFolder('qmp-ts-reused', { start: 1 });
    expect(removeStaleFolders(parent)).toEqual(process.platform === 'linux' ? [reused] : []);
  });

  it('the next folder made removes a dead owner\'s folder', () => {
    const dead = markedFolder('qmp-ts-dead', { pid: deadPid() });
    const next = makeOwnedFolder('', parent);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(next)).toBe(true);
  });

  it('leaves everything else alone', () => {
    const live = makeOwnedFolder('live-', parent);
    const otherNamespace = markedFolder('qmp-ts-elsewhere', { pid: deadPid(), pidns: 'pid:[1]' });
    const foreign = markedFolder('qmp-ts-foreign', { pid: deadPid(), by: 'someone else' });
    const unmarked = join(parent, 'qmp-ts-unmarked');
    mkdirSync(unmarked);
    const otherName = markedFolder('not-qmp-ts', { pid: deadPid() });
    const link = join(parent, 'qmp-ts-link');
    symlinkSync(markedFolder('target', { pid: deadPid() }), link);
    const file = join(parent, 'qmp-ts-file');
    writeFileSync(file, '');
    expect(removeStaleFolders(parent)).toEqual([]);
    for (const kept of [live, otherNamespace, foreign, unmarked, otherName, link, file]) expect(existsSync(kept)).toBe(true);
  });
});
