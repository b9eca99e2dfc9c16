/**
 * The photos the replay's portal customer sends (pure apart from sharp): the
 * sandbox's sample pictures (src/channels/sandbox/sandbox-media.ts), as a
 * phone would take them — JPEGs carrying EXIF with a GPS position (which the
 * server must strip) and a PNG screenshot — plus a PDF renamed `.jpg`, which
 * the portal must refuse by its content.
 */
import sharp from 'sharp';
import { sampleSvg } from '../../channels/sandbox/sandbox-media.js';

export type ReplayPhoto = { filename: string; contentType: string; bytes: Buffer };

/** A phone-camera JPEG of sample `index`, with EXIF naming the phone and a GPS position (central London). */
export async function cameraJpeg(index: number, filename: string): Promise<ReplayPhoto> {
  const bytes = await sharp(Buffer.from(sampleSvg(index)))
    .withExif({ IFD0: { Make: 'ReplayPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
    .jpeg({ quality: 88 }).toBuffer();
  return { filename, contentType: 'image/jpeg', bytes };
}

/** A PNG "screenshot" of sample `index`. */
export async function screenshotPng(index: number, filename: string): Promise<ReplayPhoto> {
  return { filename, contentType: 'image/png', bytes: await sharp(Buffer.from(sampleSvg(index))).resize(640).png().toBuffer() };
}

/** A PDF named like a photo: the portal checks content, not names, so this is refused. */
export function pdfNamedJpg(): ReplayPhoto {
  return { filename: 'invoice.jpg', contentType: 'image/jpeg', bytes: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') };
}
