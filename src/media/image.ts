/**
 * Image preparation for the media store, with sharp: what is stored of a
 * photo and its thumbnail.
 *
 * - Checked by content (sharp reads the bytes), never by file name or the
 *   declared type.
 * - EXIF orientation applied, then every metadata block dropped (sharp writes
 *   none unless asked; the ICC colour profile is kept) — so GPS location never
 *   reaches the store.
 * - Downscaled to at most `MAX_EDGE_PX` on the long edge (iPhones hand the
 *   browser ~10 MB PNGs for a 12 MP photo: provider-protocols.md §11b).
 * - JPEG stays JPEG (quality 85); PNG stays PNG unless still over
 *   `PNG_MAX_BYTES` after downscaling, then JPEG; HEIC/HEIF (and WebP/GIF from
 *   providers) become JPEG when sharp can decode them. sharp's prebuilt
 *   binaries cannot decode HEVC-compressed HEIC (§11b): that is refused with
 *   `heic_not_supported` and advice.
 * - Thumbnail: JPEG, at most `THUMBNAIL_EDGE_PX` on the long edge.
 */
import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../server/errors.js';

export const MAX_EDGE_PX = 2048;
export const THUMBNAIL_EDGE_PX = 320;
/** Above this a downscaled PNG is re-encoded as JPEG (keeps photos under WhatsApp's 5 MB image limit). */
export const PNG_MAX_BYTES = 3 * 1024 * 1024;
/** Decoding refuses images of more pixels than this (decompression bombs). */
const MAX_INPUT_PIXELS = 120_000_000;

export type PreparedImage = {
  bytes: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  thumbnail: Buffer;
};

/** Which source formats are accepted: portal uploads take JPG/PNG (and HEIC, converted); provider media any format sharp decodes. */
export type ImageSource = 'upload' | 'provider';

const UPLOAD_FORMATS = new Set(['jpeg', 'png', 'heif']);

async function formatOf(bytes: Buffer): Promise<{ format: string | undefined; compression: string | undefined }> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    return { format: meta.format, compression: meta.compression };
  } catch {
    return { format: undefined, compression: undefined };
  }
}

/**
 * Prepare a photo for storing.
 * @throws AppError `image_type_not_accepted` (415) when the bytes are not a JPG,
 *   PNG or HEIC image (upload) / not an image sharp reads (provider);
 *   `heic_not_supported` (415) for a HEIC photo this build cannot decode;
 *   `image_unreadable` (422) for a damaged or oversized image
 */
export async function prepareImage(bytes: Buffer, source: ImageSource): Promise<PreparedImage> {
  const { format, compression } = await formatOf(bytes);
  const accepted = format !== undefined && (source === 'provider' || UPLOAD_FORMATS.has(format));
  if (!accepted) throw new AppError('image_type_not_accepted', 'Only JPG and PNG photos can be sent.');
  try {
    const base = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().resize({
      width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true,
    }).keepIccProfile();
    let out: { data: Buffer; info: OutputInfo };
    let contentType: PreparedImage['contentType'] = 'image/jpeg';
    if (format === 'png') {
      out = await base.clone().png({ compressionLevel: 8 }).toBuffer({ resolveWithObject: true });
      if (out.data.length > PNG_MAX_BYTES) out = await base.clone().flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true }).toBuffer({ resolveWithObject: true });
      else contentType = 'image/png';
    } else {
      out = await base.clone().flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    }
    const thumbnail = await sharp(out.data).resize({ width: THUMBNAIL_EDGE_PX, height: THUMBNAIL_EDGE_PX, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }).jpeg({ quality: 70 }).toBuffer();
    return { bytes: out.data, contentType, width: out.info.width, height: out.info.height, thumbnail };
  } catch (err) {
    if (format === 'heif') {
      throw new AppError('heic_not_supported', compression === 'hevc' || compression === undefined
        ? 'This HEIC photo cannot be converted. Send it as a JPG instead (on iPhone: Settings → Camera → Formats → Most Compatible).'
        : 'This HEIC photo could not be read. Send it as a JPG instead.');
    }
    throw new AppError('image_unreadable', 'This image is damaged or too large to read.');
  }
}
