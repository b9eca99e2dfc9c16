/**
 * The media store the configuration asks for (`MEDIA_STORE`): the local
 * folder `MEDIA_DIR`, or the S3 bucket `S3_BUCKET` (README "Media storage").
 */
import type { Config } from '../config.js';
import { localMediaStore } from './local-store.js';
import { s3MediaStore } from './s3-store.js';
import type { MediaStore } from './store.js';

export function openMediaStore(config: Config): MediaStore {
  if (config.MEDIA_STORE === 'local') return localMediaStore(config.MEDIA_DIR);
  return s3MediaStore({
    bucket: config.S3_BUCKET!,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(config.S3_ACCESS_KEY_ID ? { accessKeyId: config.S3_ACCESS_KEY_ID } : {}),
    ...(config.S3_SECRET_ACCESS_KEY ? { secretAccessKey: config.S3_SECRET_ACCESS_KEY } : {}),
  });
}
