import { deflateSync, Inflate } from 'fflate';
import { parseSharePayload, type SharePayload, type SharePayloadInput } from '../../schema/share.ts';
import type { SchemaError } from '../../schema/index.ts';

/** Links carry their payload in the hash, so it never reaches a server log: `#/s/<base64url(deflate(JSON))>`. */
export const SHARE_PREFIX = '#/s/';
/** Longest encoded payload accepted (characters after the prefix). Real documents compress to a few KB. */
export const MAX_ENCODED = 64 * 1024;
/** Most bytes a payload may inflate to; decompression stops as soon as it passes this (a zip bomb never fully inflates). */
export const MAX_INFLATED = 1024 * 1024;
/** Compressed bytes fed per step; deflate expands at most ~1032×, so one step yields at most ~264 KB past the cap. */
const STEP = 256;

export type ShareErrorKind = 'too-long' | 'base64' | 'deflate' | 'too-large' | 'json' | 'schema';

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
  constructor(readonly kind: ShareErrorKind, message: string, readonly errors: readonly SchemaError[] = []) {
    super(message);
  }
}

export type DecodeResult = { ok: true; payload: SharePayload } | { ok: false; error: ShareLinkError };

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new ShareLinkError('base64', 'the link is damaged: its payload is not base64url text');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Inflates raw deflate data, refusing (before finishing) once the output passes `max` bytes. */
export function inflateCapped(data: Uint8Array, max = MAX_INFLATED): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > max) throw new ShareLinkError('too-large', `the link expands to more than ${max / 1024} KB; refused`);
    parts.push(chunk);
    done ||= final;
  });
  try {
    for (let i = 0; i < data.length; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    if (data.length === 0) inflate.push(data, true);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError('deflate', `the link is damaged: its compressed data are invalid (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!done) throw new ShareLinkError('deflate', 'the link is damaged: its compressed data end early');
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The hash fragment (with prefix) for a payload. */
export function encodeShareHash(payload: SharePayloadInput): string {
  const json = new TextEncoder().encode(JSON.stringify(payload));
  return SHARE_PREFIX + toBase64Url(deflateSync(json, { level: 9 }));
}

/** True when a hash is meant to be a share link (whether or not it is a valid one). */
export function isShareHash(hash: string): boolean {
  return hash.startsWith(SHARE_PREFIX);
}

/**
 * Turns a link hash back into a validated payload, or says precisely what is wrong with it. Pure: it
 * touches no state, so a bad link cannot change the open document or anything stored.
 */
export function decodeShareHash(hash: string): DecodeResult {
  try {
    if (!isShareHash(hash)) throw new ShareLinkError('base64', 'this is not a strategy link (expected #/s/…)');
    const text = hash.slice(SHARE_PREFIX.length);
    if (text.length > MAX_ENCODED) throw new ShareLinkError('too-long', `the link is longer than ${MAX_ENCODED / 1024} KB; refused`);
    if (text.length === 0) throw new ShareLinkError('base64', 'the link is empty after #/s/');
    let compressed: Uint8Array;
    try {
      compressed = fromBase64Url(text);
    } catch (e) {
      if (e instanceof ShareLinkError) throw e;
      throw new ShareLinkError('base64', 'the link is damaged: its payload is not base64url text');
    }
    const bytes = inflateCapped(compressed);
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      throw new ShareLinkError('json', `the link is damaged: its content is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const parsed = parseSharePayload(value);
    if (!parsed.ok) {
      const n = parsed.errors.length;
      throw new ShareLinkError('schema', `the link's strategy is not valid (${n} problem${n === 1 ? '' : 's'})`, parsed.errors);
    }
    return { ok: true, payload: parsed.payload };
  } catch (e) {
    if (e instanceof ShareLinkError) return { ok: false, error: e };
    return { ok: false, error: new ShareLinkError('json', e instanceof Error ? e.message : String(e)) };
  }
}
