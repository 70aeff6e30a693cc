import { describe, expect, it } from 'vitest';
import {
  createDashboardAccess,
  DASHBOARD_COOKIE,
  isLoopbackHost,
} from '../../../src/daemon/dashboard/access.ts';

describe('dashboard access', () => {
  it('knows loopback listeners from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('on loopback lets anyone in, token or not', () => {
    expect(createDashboardAccess({ host: '127.0.0.1', token: undefined })({})).toEqual({
      allowed: true,
    });
  });

  it('elsewhere refuses everyone without the variable set', () => {
    const access = createDashboardAccess({ host: '0.0.0.0', token: '' });
    expect(access({ authorization: 'Bearer anything' })).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('elsewhere wants the token: bearer, or once in the query (then a cookie of its digest)', () => {
    const access = createDashboardAccess({ host: '0.0.0.0', token: 's3cret-token' });
    expect(access({})).toMatchObject({ allowed: false, status: 401 });
    expect(access({ authorization: 'Bearer wrong' })).toMatchObject({ allowed: false });
    expect(access({ authorization: 'Bearer s3cret-token' })).toEqual({ allowed: true });
    const viaQuery = access({ queryToken: 's3cret-token' });
    expect(viaQuery.allowed).toBe(true);
    const setCookie = viaQuery.allowed ? (viaQuery.setCookie ?? '') : '';
    expect(setCookie).toMatch(new RegExp(`^${DASHBOARD_COOKIE}=[^;]+; HttpOnly; SameSite=Strict`));
    expect(setCookie).not.toContain('s3cret-token');
    const cookie = setCookie.split(';')[0];
    expect(access({ cookie: `other=1; ${cookie}` })).toEqual({ allowed: true });
    expect(access({ cookie: `${DASHBOARD_COOKIE}=forged` })).toMatchObject({ allowed: false });
  });
});
