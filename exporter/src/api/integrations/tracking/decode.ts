import { gunzipSync } from 'node:zlib';
import { HttpError } from '../../errors';

/**
 * The body as the SDKs send it: JSON, gzip (Content-Encoding: gzip from posthog-node, or
 * ?compression=gzip-js from posthog-js), base64 (?compression=base64) or a form field data=<base64>
 * (older posthog-js). lz64 is refused: configure the browser SDK with gzip.
 */
export function decodeTrackingBody(
  raw: Buffer,
  headers: { contentType?: string },
  compression: string | undefined,
  maxDecodedBytes: number,
): unknown {
  let buf = raw;
  // Content-Encoding: gzip is already undone by the body parser; ?compression=gzip-js bodies are
  // gzip without the header, recognised by their magic bytes.
  const gz = buf[0] === 0x1f && buf[1] === 0x8b;
  if (compression === 'lz64') throw new HttpError(400, 'compression=lz64 is not supported; configure the SDK to send gzip or plain JSON');
  if (gz) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: maxDecodedBytes });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new HttpError(
        tooBig ? 413 : 400,
        tooBig ? `decompressed body larger than ${maxDecodedBytes} bytes` : 'request body is not valid gzip',
      );
    }
  }
  let text = buf.toString('utf8');
  if (/application\/x-www-form-urlencoded/i.test(headers.contentType ?? '')) {
    const data = new URLSearchParams(text).get('data');
    if (data === null) throw new HttpError(400, 'form body without a data field');
    text = data;
    if (!/^\s*[[{]/.test(text)) text = Buffer.from(text, 'base64').toString('utf8');
  } else if (compression === 'base64') {
    text = Buffer.from(text, 'base64').toString('utf8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
