/**
 * Inbound media for `OUTBOUND_PROVIDERS=sandbox` (the demo): the sandbox
 * stands in for Twilio's media URLs and WhatsApp's media ids, so a demo
 * MMS or WhatsApp photo shows a real picture instead of "Photo unavailable".
 * Nothing is fetched from anywhere: each reference resolves to one of a few
 * built-in sample pictures (drawn here as SVG and rendered by sharp, the
 * same library that cleans every stored photo), chosen by a hash of the
 * reference, so the same reference always gives the same picture.
 *
 * Only images exist in the sandbox: a reference declared as anything else
 * (a WhatsApp PDF, an MMS video) is `MediaGone`, so the demo also shows the
 * honest "unavailable" state. A reference containing `SANDBOX_GONE_MARKER`
 * is gone too, to show what a provider 404 looks like.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MediaGone, type Downloaded } from '../media-download.js';

/** A reference containing this is answered like a provider 404 (expired media). */
export const SANDBOX_GONE_MARKER = 'sandbox-gone';

/** Sample pictures: a car of one colour on a road, under one sky. */
const SCENES = [
  { car: '#c0392b', sky: ['#7fb3e6', '#dceeff'] },
  { car: '#2e86de', sky: ['#f6b26b', '#fde7c8'] },
  { car: '#27ae60', sky: ['#9bb7d4', '#e8eef5'] },
  { car: '#f1c40f', sky: ['#5d6d7e', '#aeb6bf'] },
  { car: '#8e44ad', sky: ['#85c1e9', '#ebf5fb'] },
  { car: '#34495e', sky: ['#f5b7b1', '#fdedec'] },
] as const;

const WIDTH = 1024;
const HEIGHT = 768;

/** The SVG of sample `index` (0 ≤ index < SCENES.length): sky, road, a car with wheels and windows. */
export function sampleSvg(index: number): string {
  const s = SCENES[index % SCENES.length]!;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${s.sky[0]}"/><stop offset="1" stop-color="${s.sky[1]}"/></linearGradient></defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#sky)"/>
  <rect y="520" width="${WIDTH}" height="248" fill="#555b61"/>
  <rect y="630" width="${WIDTH}" height="12" fill="#e5e7e9" stroke-dasharray="60 40"/>
  <path d="M190 500 L260 380 Q280 350 320 350 L660 350 Q700 350 730 380 L830 470 Q860 480 860 510 L860 560 L160 560 L160 520 Q160 500 190 500 Z" fill="${s.car}"/>
  <path d="M290 390 L330 370 L480 370 L480 460 L250 460 Z M500 370 L650 370 Q680 372 700 395 L760 460 L500 460 Z" fill="#d6eaf8" opacity="0.9"/>
  <circle cx="300" cy="565" r="62" fill="#1c1c1c"/><circle cx="300" cy="565" r="28" fill="#aab7b8"/>
  <circle cx="720" cy="565" r="62" fill="#1c1c1c"/><circle cx="720" cy="565" r="28" fill="#aab7b8"/>
  <rect x="830" y="490" width="30" height="18" rx="4" fill="#fdebd0"/>
</svg>`;
}

const rendered = new Map<string, Promise<Buffer>>();

function render(index: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const key = `${index}:${format}`;
  let bytes = rendered.get(key);
  if (!bytes) {
    const image = sharp(Buffer.from(sampleSvg(index)));
    bytes = (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
    rendered.set(key, bytes);
  }
  return bytes;
}

/** Which sample a reference shows (stable: a hash of the reference). */
export function sampleIndex(providerRef: string): number {
  return createHash('sha256').update(providerRef).digest().readUInt32BE(0) % SCENES.length;
}

/**
 * What the sandbox "provider" holds for an inbound media reference.
 * @param providerRef the Twilio media URL or WhatsApp media id the webhook carried
 * @param contentType the type the webhook declared
 * @returns a sample picture: PNG when `image/png` was declared, JPEG for any other image type
 * @throws MediaGone for a non-image type, a missing reference, or one containing `SANDBOX_GONE_MARKER`
 */
export async function sandboxMedia(providerRef: string | null, contentType: string): Promise<Downloaded> {
  if (!providerRef) throw new MediaGone('sandbox: no media reference');
  if (providerRef.includes(SANDBOX_GONE_MARKER)) throw new MediaGone('sandbox: media no longer available (as a provider answers 404 for expired media)');
  if (!contentType.toLowerCase().startsWith('image/')) {
    throw new MediaGone(`sandbox providers hold only sample photos: ${contentType} is not available (OUTBOUND_PROVIDERS=sandbox)`);
  }
  const format = contentType.toLowerCase() === 'image/png' ? 'png' : 'jpeg';
  return { bytes: await render(sampleIndex(providerRef), format), contentType: `image/${format}` };
}
