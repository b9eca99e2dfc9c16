/** Photos for media tests, made with sharp: a camera-sized JPEG carrying EXIF with a GPS position, and a PNG. */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A JPEG of `width`×`height` with EXIF (GPS latitude/longitude of central London). */
export async function photoWithLocation(width = 3000, height = 2000, colour = '#c33'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
    .jpeg({ quality: 90 }).toBuffer();
}

/**
 * A JPEG of random pixels, `side` px square (at most 2048, so it is stored
 * without downscaling): noise barely compresses, so the file stays big even
 * after re-encoding (2048 px ≈ 2.4 MB at the store's quality).
 */
export async function noisyJpeg(side: number): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

export async function smallPng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 80, b: 200, alpha: 0.5 } } }).png().toBuffer();
}
