import { readFileSync } from 'node:fs';

/** One request/response pair of the recorded Toxiproxy 2.12 transcript. */
export interface TranscriptStep {
  readonly title: string;
  readonly method: string;
  readonly path: string;
  readonly body: string | undefined;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly responseBody: string;
}

// A copy of shared/fixtures/toxiproxy-2.12-api-transcript.txt (a real Toxiproxy 2.12 session), kept in
// the repo so the suite runs on any clone.
const FILE = new URL('../../fixtures/toxiproxy-2.12-api-transcript.txt', import.meta.url);

/** Parse the transcript: `### METHOD PATH [body=...]`, then the raw response (body by Content-Length). */
export function loadTranscript(path: URL | string = FILE): TranscriptStep[] {
  const text = readFileSync(path, 'utf8');
  const sections = text.split(/^### /m).slice(1);
  return sections.map((section) => {
    const newline = section.indexOf('\n');
    const title = section.slice(0, newline);
    const rest = section.slice(newline + 1);
    const headEnd = rest.indexOf('\n\n');
    const head = rest.slice(0, headEnd).split('\n');
    const statusLine = head[0]!;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(headEnd + 2));
    const responseBody = bodyBytes.subarray(0, length).toString('utf8');
    const m = /^(\S+) (\S+) ?(?:body=(.*))?$/.exec(title);
    const browser = title.startsWith('Browser');
    return {
      title,
      method: browser ? 'GET' : m![1]!,
      path: browser ? '/proxies' : m![2]!,
      body: browser ? undefined : m![3],
      status: Number(statusLine.split(' ')[1]),
      headers,
      responseBody,
    };
  });
}
