/**
 * The pluggable speech-to-text driver for voicemails Twilio's transcription
 * does not cover (it only transcribes `<Record>` recordings between 2 s and
 * 120 s, Twilio error 13617): an OpenAI-compatible
 * `POST {STT_BASE_URL}/audio/transcriptions` (multipart `file`, `model`;
 * provider-protocols.md §11e), served by OpenAI and by local Whisper
 * servers, through the maintained `openai` client. Off by default
 * (`STT_PROVIDER=off`).
 */
import OpenAI, { toFile } from 'openai';
import type { Config } from '../config.js';

export type SpeechToText = {
  /**
   * @param audio the recording's bytes
   * @param contentType its MIME type (`audio/wav`, `audio/mpeg`)
   * @returns the transcript text (may be empty)
   * @throws the client's error when the server fails or times out (the job retries)
   */
  transcribe(audio: Buffer, contentType: string): Promise<string>;
};

/** The configured driver, or null when speech to text is off. */
export function speechToTextFor(config: Config): SpeechToText | null {
  if (config.STT_PROVIDER === 'off') return null;
  const client = new OpenAI({ apiKey: config.STT_API_KEY, baseURL: config.STT_BASE_URL, timeout: 120_000, maxRetries: 0 });
  return {
    async transcribe(audio, contentType) {
      const extension = contentType.includes('mpeg') ? 'mp3' : 'wav';
      const result = await client.audio.transcriptions.create({ file: await toFile(audio, `voicemail.${extension}`, { type: contentType }), model: config.STT_MODEL });
      return result.text ?? '';
    },
  };
}
