import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Scan text for what must never reach a file paychaos writes (issue #18 item 4): card numbers,
 * CVCs in card fields, secrets, signatures. Written apart from the redactor on purpose — a scan
 * that reused it would share its blind spots.
 *
 *   PAN        a Luhn-valid 13–19 digit run with a card network's leading digits (2221–2720,
 *              3, 4, 5, 6), glued or in groups joined by spaces, dots or dashes. A glued run that
 *              is the value of an id field (`…id`, `…reference`, `…_no`) is a provider id, not a
 *              card (Adyen pspReferences are random 16-digit numbers), unless it is one of the
 *              published test card numbers, which are flagged wherever they are.
 *   CVC        3–4 digits as the value of a verification-code field.
 *   secret     each of `secrets` verbatim, and any PEM private key.
 *   signature  Stripe-Signature values, WeChat Pay Authorization values, and a long value under a
 *              `sign`/`signature`/`sig` field.
 */
export interface Finding {
  readonly file: string;
  readonly kind: 'pan' | 'cvc' | 'secret' | 'signature';
  readonly excerpt: string;
}

/** Published test card numbers (Stripe, Adyen, PayPal sandboxes): the ones a harness could carry. */
export const TEST_PANS = ['4242424242424242', '4000056655665556', '5555555555554444', '2223003122003222', '5200828282828210', '378282246310005', '371449635398431', '6011111111111117', '3056930009020004', '3566002020360505', '6200000000000005', '4000000000000002', '4000000000009995', '4000000000000069', '4000000000000127', '4000000000000119', '4000002500003155', '4000000000003220', '4111111111111111', '5555341244441115', '4917610000000000', '4988438843884305', '370000000000002'];

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function cardLike(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !luhn(digits)) return false;
  const four = Number(digits.slice(0, 4));
  return /^[3-6]/.test(digits) || (four >= 2221 && four <= 2720);
}

const ID_KEY = /(?:id|reference|ref|_no|tradeno|number_id)$/i;
const KEY_BEFORE = /([A-Za-z_][\w.[\]-]{0,60})\\?["']?\s{0,3}[:=]\s{0,3}\\?["']?$/;

function panFindings(text: string, file: string): Finding[] {
  const out: Finding[] = [];
  // Digits inside a longer token are not a card number written down: a trace id's hex
  // (…be6131821078668793) can hold a Luhn-valid run by chance.
  for (const m of text.matchAll(/(?<![A-Za-z0-9])\d+(?:[ .-]\d+)*(?![A-Za-z0-9])/g)) {
    // One dot is a decimal point (1733512345.123456), not a card number written with dots.
    const runs = m[0].split('.').length === 2 ? m[0].split('.') : [m[0]];
    for (const run of runs) {
      const at = m.index! + m[0].indexOf(run);
      const groups = run.split(/[ .-]/);
      const seps = run.replace(/\d+/g, '');
      // Every window of whole groups holding 13–19 digits. Written out, a card number uses one
      // separator and groups of 3–6 digits (4-4-4-4, 4-6-5): numbers in a drawing's path data
      // ("8.37258 21.6274 3 15") are not one.
      for (let a = 0; a < groups.length; a++) {
        let digits = '';
        for (let b = a; b < groups.length && digits.length <= 19; b++) {
          digits += groups[b];
          if (b > a && (new Set(seps.slice(a, b)).size > 1 || groups.slice(a, b + 1).some((g) => g.length < 3 || g.length > 6))) continue;
          if (!cardLike(digits)) continue;
          if (b === a && a === 0 && !TEST_PANS.includes(digits)) {
            // A glued number is an id when it is an id field's whole value.
            const key = KEY_BEFORE.exec(text.slice(Math.max(0, at - 80), at))?.[1];
            if (key !== undefined && ID_KEY.test(key)) continue;
          }
          out.push({ file, kind: 'pan', excerpt: text.slice(Math.max(0, at - 40), at + run.length + 10) });
        }
      }
    }
  }
  return out;
}

const CVC = /(?:cvc|cvv|cvn|cvd|csc|security_?code|securityCode|cvc2|cvv2)(?:\\?["'\]])?\s{0,3}[:=]\s{0,3}\\?["']?\d{3,4}\b/gi;
const SIGNATURES = [
  /\bt=\d{9,},v1=[0-9a-f]{16,}/g, // Stripe-Signature
  /WECHATPAY2-SHA256-RSA2048\s+\w+=/g, // a WeChat Pay Authorization value
  /(?:^|[^A-Za-z])(?:sign|signature|sig|hmacSignature|transmission[-_]?sig)\\?["']?\s{0,3}[:=]\s{0,3}\\?["']?[A-Za-z0-9+/=_-]{20,}/gi,
];

export function scanText(text: string, file: string, secrets: readonly string[]): Finding[] {
  const findings = panFindings(text, file);
  for (const m of text.matchAll(CVC)) findings.push({ file, kind: 'cvc', excerpt: m[0] });
  for (const s of secrets) if (s.length >= 8 && text.includes(s)) findings.push({ file, kind: 'secret', excerpt: s.slice(0, 12) + '…' });
  for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g)) findings.push({ file, kind: 'secret', excerpt: m[0] });
  for (const re of SIGNATURES) for (const m of text.matchAll(re)) findings.push({ file, kind: 'signature', excerpt: m[0].slice(0, 60) });
  return findings;
}

/** Every file under `dir`, recursively, scanned. */
export async function scanDir(dir: string, secrets: readonly string[]): Promise<{ files: string[]; findings: Finding[] }> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  await walk(dir);
  const findings: Finding[] = [];
  for (const f of files) findings.push(...scanText(await readFile(f, 'utf8'), f, secrets));
  return { files, findings };
}
