import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host.js';

describe('loopback hosts', () => {
  it('knows localhost, 127.0.0.0/8 and ::1 in their usual spellings', () => {
    const mapped = new URL('http://[::ffff:127.0.0.1]/').hostname;
    const loopback = ['localhost', 'LOCALHOST.', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', mapped];
    for (const host of loopback) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('takes every other host for a network one', () => {
    const network = ['192.0.2.2', 'mail.example.com', 'localhost.example.com', '128.0.0.1', '::2', 'fd00::2'];
    for (const host of network) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
