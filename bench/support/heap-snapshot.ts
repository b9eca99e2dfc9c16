/**
 * A compact reader of V8 `.heapsnapshot` files (what `--heapsnapshot-signal`,
 * `v8.writeHeapSnapshot` and Chrome DevTools write) for `bench/soak.ts`: it
 * groups the nodes the way DevTools' Summary view does (objects and native
 * objects by constructor name, everything else as `(type)`, e.g.
 * `(string)`, `(closure)`, `(array)`, `(compiled code)` as `(code)`) and
 * diffs two snapshots of one process by count and self size.
 *
 * The format: `snapshot.meta.node_fields` names the fields of one node in the
 * flat `nodes` array (type, name, id, self_size, edge_count, …), `edge_fields`
 * those of one edge in `edges` (type, name_or_index, to_node); names are
 * indexes into `strings`. Node ids are stable within one process: an object
 * that survives keeps its id, and new objects get larger ids, so nodes of the
 * later snapshot with an id above the earlier snapshot's largest are objects
 * allocated between the two and still alive ("Objects allocated between
 * snapshots" in DevTools).
 *
 * Retained sizes (dominator tree) are not computed: self size per
 * constructor and the referrers of the new objects are what point at a leak;
 * load the files in DevTools (Memory tab → Load) for retainer paths.
 */
import { readFileSync, statSync } from 'node:fs';

type RawSnapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[]; edge_fields: string[]; edge_types: unknown[] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
};

export type Group = { count: number; bytes: number };

export type HeapSummary = {
  file: string;
  fileBytes: number;
  nodes: number;
  /** Sum of all nodes' self sizes (close to the JS heap used after a full GC). */
  bytes: number;
  maxId: number;
  groups: Map<string, Group>;
};

export type GrowthRow = {
  name: string;
  before: Group;
  after: Group;
  /** Objects of this group allocated after the earlier snapshot and still alive in the later one. */
  allocatedBetween: Group;
  /** Most frequent `referrer group.edge name` of those new objects, with counts. */
  referrers: Array<{ via: string; count: number }>;
};

/** The biggest snapshot read: JSON.parse of a larger file risks V8's string-length limit (~512 MB). */
const MAX_FILE_BYTES = 450 * 1024 * 1024;

function read(file: string): RawSnapshot {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) throw new Error(`${file} is ${(size / 1048576).toFixed(0)} MB: too big to diff here, load it in DevTools`);
  return JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
}

type Layout = { width: number; type: number; name: number; id: number; self: number; edgeCount: number; types: string[] };

function layout(raw: RawSnapshot): Layout {
  const f = raw.snapshot.meta.node_fields;
  const at = (field: string) => {
    const i = f.indexOf(field);
    if (i < 0) throw new Error(`heap snapshot has no node field "${field}"`);
    return i;
  };
  return { width: f.length, type: at('type'), name: at('name'), id: at('id'), self: at('self_size'), edgeCount: at('edge_count'), types: raw.snapshot.meta.node_types[0] as string[] };
}

function groupName(raw: RawSnapshot, l: Layout, i: number): string {
  const type = l.types[raw.nodes[i + l.type]!] ?? 'unknown';
  if (type !== 'object' && type !== 'native') return `(${type})`;
  const name = raw.strings[raw.nodes[i + l.name]!] ?? '?';
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}

function summarise(file: string, raw: RawSnapshot, l: Layout): HeapSummary {
  const groups = new Map<string, Group>();
  let bytes = 0;
  let maxId = 0;
  for (let i = 0; i < raw.nodes.length; i += l.width) {
    const key = groupName(raw, l, i);
    const self = raw.nodes[i + l.self]!;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += self;
    groups.set(key, g);
    bytes += self;
    if (raw.nodes[i + l.id]! > maxId) maxId = raw.nodes[i + l.id]!;
  }
  return { file, fileBytes: statSync(file).size, nodes: raw.nodes.length / l.width, bytes, maxId, groups };
}

/** Read one snapshot into per-group counts and self sizes. */
export function readHeapSummary(file: string): HeapSummary {
  const raw = read(file);
  return summarise(file, raw, layout(raw));
}

/**
 * Diff a later snapshot of the same process against an earlier one's summary.
 * @param top how many groups to return, largest self-size growth first
 * @returns the later snapshot's summary and the rows
 */
export function diffHeap(before: HeapSummary, laterFile: string, top = 15): { after: HeapSummary; rows: GrowthRow[] } {
  const raw = read(laterFile);
  const l = layout(raw);
  const after = summarise(laterFile, raw, l);
  const names = new Set([...before.groups.keys(), ...after.groups.keys()]);
  const zero = (): Group => ({ count: 0, bytes: 0 });
  const rows: GrowthRow[] = [...names]
    .map((name) => ({ name, before: before.groups.get(name) ?? zero(), after: after.groups.get(name) ?? zero(), allocatedBetween: zero(), referrers: [] }))
    .sort((a, b) => (b.after.bytes - b.before.bytes) - (a.after.bytes - a.before.bytes))
    .slice(0, top);
  const byName = new Map(rows.map((r) => [r.name, r]));

  // New objects of the top groups, and who points at them (one pass over the edges).
  const newNode = new Map<number, GrowthRow>(); // node offset → its row
  for (let i = 0; i < raw.nodes.length; i += l.width) {
    if (raw.nodes[i + l.id]! <= before.maxId) continue;
    const row = byName.get(groupName(raw, l, i));
    if (!row) continue;
    row.allocatedBetween.count++;
    row.allocatedBetween.bytes += raw.nodes[i + l.self]!;
    newNode.set(i, row);
  }
  const ef = raw.snapshot.meta.edge_fields;
  const eWidth = ef.length;
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const edgeTypes = raw.snapshot.meta.edge_types[0] as string[];
  const via = new Map<GrowthRow, Map<string, number>>();
  let e = 0;
  for (let i = 0; i < raw.nodes.length; i += l.width) {
    const end = e + raw.nodes[i + l.edgeCount]! * eWidth;
    for (; e < end; e += eWidth) {
      const row = newNode.get(raw.edges[e + eTo]!);
      if (!row) continue;
      const type = edgeTypes[raw.edges[e + eType]!];
      if (type === 'weak' || type === 'shortcut') continue;
      const n = raw.edges[e + eName]!;
      const edge = type === 'element' || type === 'hidden' ? `[${type === 'hidden' ? 'hidden' : 'i'}]` : (raw.strings[n] ?? '?');
      const key = `${groupName(raw, l, i)}.${edge.length > 40 ? `${edge.slice(0, 37)}...` : edge}`;
      const counts = via.get(row) ?? new Map<string, number>();
      counts.set(key, (counts.get(key) ?? 0) + 1);
      via.set(row, counts);
    }
  }
  for (const row of rows) {
    row.referrers = [...(via.get(row) ?? new Map<string, number>())].map(([v, count]) => ({ via: v, count })).sort((a, b) => b.count - a.count).slice(0, 3);
  }
  return { after, rows };
}
