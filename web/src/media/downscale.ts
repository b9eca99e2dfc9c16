/**
 * Downscale a big photo in the browser before upload (provider-protocols.md
 * §11b: iPhones hand Safari ~10 MB PNGs for a 12 MP photo). Files under
 * `SMALL_BYTES` go as they are; others are redrawn at most `MAX_EDGE` px on
 * the long edge as JPEG q0.85. Files the browser cannot decode (HEIC in
 * most browsers) go unchanged: the server converts them or explains why not.
 */
const MAX_EDGE = 2048;
const SMALL_BYTES = 1.5 * 1024 * 1024;

export async function downscaleForUpload(file: File): Promise<Blob> {
  if (file.size <= SMALL_BYTES) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return blob && blob.size < file.size ? blob : file;
}

/** The bytes of `blob` as base64 (no data: prefix). */
export function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file.'));
    reader.readAsDataURL(blob);
  });
}
