/**
 * Schemas whose text tries to become markup or script on the reference site: every doc
 * position holding an HTML, URL or reStructuredText payload (as QAPI source and as YAML),
 * and introspection with such text in wire names. The payloads set `window.__pwned` or the
 * document's title: a page where either happened ran schema text.
 */
import { SLOT_NAMES, qapiSource, yamlSource, type DocSlots } from './doc-schema.js';

export const PWNED_TITLE = 'pwned';

export const HTML_PAYLOADS = [
  '<script>window.__pwned = 1</script>',
  `<img src="x" onerror="window.__pwned = 2; document.title = '${PWNED_TITLE}'">`,
  '</code></pre><svg onload="window.__pwned = 3"></svg>',
  '``</code><script>window.__pwned = 4</script>``',
  '`click <javascript:window.__pwned=5>`_',
  '@x"><script>window.__pwned=6</script>',
  '*<iframe srcdoc="<script>parent.__pwned=7</script>">*',
  `<style>body{display:none}</style><a href="javascript:window.__pwned=8" id="main">x</a>`,
];

const everySlot = (i: number): DocSlots =>
  Object.fromEntries(SLOT_NAMES.map((k, j) => [k, HTML_PAYLOADS[(i + j) % HTML_PAYLOADS.length]!])) as unknown as DocSlots;

/** Introspection with payloads in the names that are data: enum values, member names. */
const NAMES = [
  { name: 'q-e', 'meta-type': 'command', 'arg-type': '1', 'ret-type': '2' },
  { name: 'qmp_capabilities', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
  { name: 'EV', 'meta-type': 'event', 'arg-type': '1' },
  { name: '0', 'meta-type': 'object', members: [] },
  { name: '1', 'meta-type': 'object', members: [{ name: '<script>window.__pwned=9</script>', type: 'int', default: null }, { name: 'e', type: '3' }, { name: 'constructor', type: 'int' }] },
  { name: '2', 'meta-type': 'object', members: [{ name: '" onmouseover="window.__pwned=10', type: 'str' }] },
  { name: '3', 'meta-type': 'enum', values: [HTML_PAYLOADS[1], '"><script>window.__pwned=11</script>', 'javascript:window.__pwned=12'] },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
];

export interface HostileCase {
  readonly name: string;
  /** File name: `.json` QAPI source, `.yaml`, or `.introspection.json`. */
  readonly file: string;
  readonly text: string;
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  ...[0, 3, 5].map((i) => ({ name: `every-slot-${i}`, file: 'schema.json', text: qapiSource(everySlot(i)) })),
  ...[1, 6].map((i) => ({ name: `every-slot-yaml-${i}`, file: 'schema.yaml', text: yamlSource(everySlot(i)) })),
  { name: 'names', file: 'schema.introspection.json', text: JSON.stringify(NAMES) },
];
