/** What a handler answers; the server turns it into bytes and headers. */
export type Reply =
  | { readonly status: number; readonly json: string; readonly contentType?: string }
  | { readonly status: 204 };

export const jsonReply = (status: number, json: string, contentType?: string): Reply =>
  contentType === undefined ? { status, json } : { status, json, contentType };
export const noContent: Reply = { status: 204 };
