import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from './verify-slack-signature.js';

// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
const vector = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

function verify(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return verifySlackSignature({
    signingSecret: vector.secret,
    rawBody: Buffer.from(vector.body),
    timestamps: [vector.timestamp],
    signatures: [vector.signature],
    nowSeconds: Number(vector.timestamp),
    ...overrides,
  });
}

describe('verifySlackSignature', () => {
  it("produces Slack's published test vector", () => {
    expect(signSlackRequest(vector.secret, vector.timestamp, vector.body)).toBe(vector.signature);
    expect(verify()).toEqual({ ok: true });
  });

  it('accepts a timestamp exactly 300 s away either way', () => {
    expect(verify({ nowSeconds: Number(vector.timestamp) + 300 })).toEqual({ ok: true });
    expect(verify({ nowSeconds: Number(vector.timestamp) - 300 })).toEqual({ ok: true });
  });

  it('refuses a timestamp 301 s old and 301 s in the future', () => {
    expect(verify({ nowSeconds: Number(vector.timestamp) + 301 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verify({ nowSeconds: Number(vector.timestamp) - 301 })).toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
  });

  it.each([
    ['a body changed by one byte', { rawBody: Buffer.from(`${vector.body} `) }, 'signature_mismatch'],
    ['another secret', { signingSecret: 'not-the-secret' }, 'signature_mismatch'],
    ['a v1= prefix', { signatures: [vector.signature.replace('v0=', 'v1=')] }, 'bad_signature_format'],
    [
      'upper-case hex',
      { signatures: [vector.signature.toUpperCase().replace('V0=', 'v0=')] },
      'bad_signature_format',
    ],
    ['a 31-byte digest', { signatures: [vector.signature.slice(0, -2)] }, 'bad_signature_format'],
    ['a 33-byte digest', { signatures: [`${vector.signature}00`] }, 'bad_signature_format'],
    ['no signature', { signatures: [] }, 'missing_header'],
    ['no timestamp', { timestamps: [] }, 'missing_header'],
    ['two signature headers', { signatures: [vector.signature, vector.signature] }, 'duplicate_header'],
    ['two timestamp headers', { timestamps: [vector.timestamp, vector.timestamp] }, 'duplicate_header'],
    ['a fractional timestamp', { timestamps: ['1531420618.5'] }, 'bad_timestamp'],
    ['a negative timestamp', { timestamps: ['-1'] }, 'bad_timestamp'],
  ])('refuses %s', (_name, overrides, reason) => {
    expect(verify(overrides)).toEqual({ ok: false, reason });
  });
});
