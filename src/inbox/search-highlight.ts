/**
 * The highlight of a search hit: the matched text cut into segments, each
 * flagged when it is what matched. Plain text only (never HTML): the UI
 * renders the segments, so nothing a customer wrote is ever interpreted.
 */

export type HighlightSegment = { text: string; match: boolean };

/** Join neighbouring segments with the same flag and drop empty ones. */
function compact(segments: HighlightSegment[]): HighlightSegment[] {
  const out: HighlightSegment[] = [];
  for (const segment of segments) {
    if (!segment.text) continue;
    const last = out.at(-1);
    if (last && last.match === segment.match) last.text += segment.text;
    else out.push({ ...segment });
  }
  return out;
}

/**
 * A stored E.164 number with the part that matched flagged: its start for an
 * anchored search, or the first place the digit run occurs.
 * @param phone the stored number, e.g. `+447700900123`
 * @param needle what the search required it to contain (`+4477009`, `900123`)
 */
export function phoneHighlight(phone: string, needle: string): HighlightSegment[] {
  const at = phone.indexOf(needle);
  if (at < 0) return [{ text: phone, match: false }];
  return compact([
    { text: phone.slice(0, at), match: false },
    { text: needle, match: true },
    { text: phone.slice(at + needle.length), match: false },
  ]);
}

/** pg_trgm's trigrams of one lower-cased word: padded with two spaces before and one after. */
function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  return set;
}

/** Trigram similarity of two words (shared / all distinct trigrams), as pg_trgm's `similarity`. */
function wordSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/** Least similarity for a name word to count as one the search typed (pg_trgm's default threshold). */
const WORD_MATCH_THRESHOLD = 0.3;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A name with the words the search found flagged: words the typed text
 * begins (`Smi` → `Smith`) or resembles (`Smth` → `Smith`, trigram
 * similarity at least 0.3, as the database's typo-tolerant match).
 * @param name the stored customer or contact name
 * @param text the normalised search text
 */
export function nameHighlight(name: string, text: string): HighlightSegment[] {
  const typed = (text.toLowerCase().match(WORD) ?? []);
  const found = (word: string) => {
    const w = word.toLowerCase();
    return typed.some((t) => w.startsWith(t) || wordSimilarity(t, w) >= WORD_MATCH_THRESHOLD);
  };
  const segments: HighlightSegment[] = [];
  let last = 0;
  for (const m of name.matchAll(WORD)) {
    segments.push({ text: name.slice(last, m.index), match: false }, { text: m[0], match: found(m[0]) });
    last = m.index + m[0].length;
  }
  segments.push({ text: name.slice(last), match: false });
  return compact(segments);
}

/**
 * Segments of a text in which matched words are wrapped in `start` … `stop`
 * markers (PostgreSQL's `ts_headline` output with unusual StartSel/StopSel).
 * Unpaired markers are dropped.
 */
export function markedHighlight(marked: string, start: string, stop: string): HighlightSegment[] {
  const segments: HighlightSegment[] = [];
  let rest = marked;
  while (rest) {
    const open = rest.indexOf(start);
    const close = open < 0 ? -1 : rest.indexOf(stop, open + start.length);
    if (open < 0 || close < 0) {
      segments.push({ text: rest.split(start).join('').split(stop).join(''), match: false });
      break;
    }
    segments.push(
      { text: rest.slice(0, open).split(stop).join(''), match: false },
      { text: rest.slice(open + start.length, close), match: true },
    );
    rest = rest.slice(close + stop.length);
  }
  return compact(segments);
}
