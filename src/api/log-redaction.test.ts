import { describe, expect, it } from 'vitest';
import { redactCapabilities } from './log-redaction.js';

describe('capability tokens in logged URLs', () => {
  it('are replaced in the capability paths, whatever follows them', () => {
    expect(redactCapabilities('/unsubscribe/AbC-123_xyzXYZ0123456789')).toBe('/unsubscribe/[redacted]');
    expect(redactCapabilities('/l/AbC-123_xyzXYZ01234?utm=x')).toBe('/l/[redacted]?utm=x');
    expect(redactCapabilities('/sign-in/tok3n#top')).toBe('/sign-in/[redacted]#top');
    expect(redactCapabilities('/setup/tok3n/next')).toBe('/setup/[redacted]/next');
    expect(redactCapabilities('Route PUT:/unsubscribe/s3cr3t not found')).toBe(
      'Route PUT:/unsubscribe/[redacted] not found',
    );
  });

  it('are replaced in query parameters that name a credential', () => {
    expect(redactCapabilities('/api/v1/x?token=abc&page=2&writeKey=wk_1&api_secret=s&signature=zz&code=1')).toBe(
      '/api/v1/x?token=[redacted]&page=2&writeKey=[redacted]&api_secret=[redacted]' +
        '&signature=[redacted]&code=[redacted]',
    );
  });

  it('leave everything else as it is', () => {
    for (const url of [
      '/v1/batch',
      '/api/v1/accounts/acme',
      '/webhooks/twilio/status?outbox=0190f0c0-a1b2-7c3d-8e4f-5a6b7c8d9e0f',
      '/lists/l',
      '/docs/json',
    ]) {
      expect(redactCapabilities(url)).toBe(url);
    }
  });
});
