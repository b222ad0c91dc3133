// Builders of realistic HTTP/1.1 messages (payload bytes) for the tests and the demo plant: a
// browser or an HMI fetching pages from a controller's web server, and the server's answers with
// Content-Length or chunked bodies (RFC 9112 §6-§7).

/** A browser on an engineering workstation (Edge on Windows 11). */
export const EDGE_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80';
/** curl as a script on a Linux host uses it. */
export const CURL_USER_AGENT = 'curl/7.88.1';

export interface RequestSpec {
  readonly method?: string;
  readonly uri?: string;
  readonly host: string;
  readonly userAgent?: string;
  /** Extra header lines, `Name: value`. */
  readonly headers?: readonly string[];
  readonly body?: string | Uint8Array;
  /** Send the body with the chunked coding, in pieces of this many bytes. */
  readonly chunkSize?: number;
  readonly version?: '1.0' | '1.1';
}

export interface ResponseSpec {
  readonly status?: number;
  readonly reason?: string;
  readonly server?: string;
  readonly contentType?: string;
  readonly headers?: readonly string[];
  readonly body?: string | Uint8Array;
  readonly chunkSize?: number;
  /** Leave Content-Length out (the body then ends with the connection, RFC 9112 §6.3 rule 8). */
  readonly noLength?: boolean;
  /** A response to HEAD: Content-Length of the body it would have, and no body. */
  readonly headOnly?: boolean;
}

const encoder = new TextEncoder();

function bytesOf(body: string | Uint8Array | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? encoder.encode(body) : body;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The chunked coding of `body` in pieces of `size` bytes, the last chunk and no trailers (RFC 9112 §7.1). */
export function chunked(body: Uint8Array, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += size) {
    const piece = body.subarray(i, i + size);
    parts.push(encoder.encode(`${piece.length.toString(16)}\r\n`), piece, encoder.encode('\r\n'));
  }
  parts.push(encoder.encode('0\r\n\r\n'));
  return join(parts);
}

/** A request head and body: Host first, as browsers send it, then the user agent and extras. */
export function httpRequest(r: RequestSpec): Uint8Array {
  const body = bytesOf(r.body);
  const lines = [`${r.method ?? 'GET'} ${r.uri ?? '/'} HTTP/${r.version ?? '1.1'}`, `Host: ${r.host}`];
  if (r.userAgent !== undefined) lines.push(`User-Agent: ${r.userAgent}`);
  lines.push(...(r.headers ?? []));
  if (r.chunkSize !== undefined) lines.push('Transfer-Encoding: chunked');
  else if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
  const head = encoder.encode(`${lines.join('\r\n')}\r\n\r\n`);
  return join([head, r.chunkSize !== undefined ? chunked(body, r.chunkSize) : body]);
}

/** A response head and body, with Content-Length unless chunked or `noLength`. */
export function httpResponse(r: ResponseSpec): Uint8Array {
  const body = bytesOf(r.body);
  const status = r.status ?? 200;
  const lines = [`HTTP/1.1 ${status} ${r.reason ?? REASONS[status] ?? ''}`];
  lines.push('Date: Mon, 02 Mar 2026 06:00:00 GMT');
  if (r.server !== undefined) lines.push(`Server: ${r.server}`);
  if (r.contentType !== undefined) lines.push(`Content-Type: ${r.contentType}`);
  lines.push(...(r.headers ?? []));
  if (r.chunkSize !== undefined) lines.push('Transfer-Encoding: chunked');
  else if (!r.noLength) lines.push(`Content-Length: ${body.length}`);
  const head = encoder.encode(`${lines.join('\r\n')}\r\n\r\n`);
  if (r.headOnly) return head;
  return join([head, r.chunkSize !== undefined ? chunked(body, r.chunkSize) : body]);
}

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** A controller's web-based management login page, as a browser fetches it. */
export function wbmPageRequest(host: string, userAgent = EDGE_USER_AGENT): Uint8Array {
  return httpRequest({
    uri: '/wbm/index.php',
    host,
    userAgent,
    headers: [
      'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'Accept-Encoding: gzip, deflate',
      'Accept-Language: en-US,en;q=0.9,de;q=0.8',
      'Connection: keep-alive',
    ],
  });
}

/** The page itself: `server` as the device's web server names itself, an HTML body of `size` bytes. */
export function wbmPageResponse(server: string, size = 2048, chunkSize?: number): Uint8Array {
  const filler = '<div class="status">RUN</div>\n'.repeat(Math.ceil(size / 29));
  const body = `<!DOCTYPE html>\n<html><head><title>Web-Based Management</title></head><body>${filler}`.slice(
    0,
    size,
  );
  return httpResponse({ server, contentType: 'text/html; charset=UTF-8', body, chunkSize });
}

/** An HMI or script posting a JSON setpoint to a controller's REST interface. */
export function restWrite(host: string, path: string, json: string, userAgent = CURL_USER_AGENT): Uint8Array {
  return httpRequest({
    method: 'POST',
    uri: path,
    host,
    userAgent,
    headers: ['Accept: */*', 'Content-Type: application/json'],
    body: json,
  });
}
